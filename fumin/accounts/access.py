"""View guards built on the scope: one decorator, so no view checks roles by hand."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .scope import Capability, scope_of


def require_capability(capability: Capability):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not scope_of(request.user).can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator
