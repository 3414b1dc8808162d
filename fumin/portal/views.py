from django.shortcuts import render

from fumin.accounts.scope import scope_of
from fumin.notifications.selectors import inbox


def home(request):
    """A member's own page: who they are, their roles, and their latest messages."""
    roles = request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
        "area", "unit"
    )
    context = {
        "roles": roles,
        "scope": scope_of(request.user),
        "latest": inbox(viewer=request.user)[:5],
    }
    return render(request, "portal/home.html", context)
