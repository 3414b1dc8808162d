from django.conf import settings

from fumin.accounts.scope import Capability, scope_of


def shell(request):
    """What every page of the shell needs: site name, languages, and what the viewer may open."""
    scope = scope_of(getattr(request, "user", None))
    return {
        "site_name": settings.FUMIN_SITE_NAME,
        "shell_languages": settings.LANGUAGES,
        "can": {capability.value: scope.can(capability) for capability in Capability},
    }
