from django.shortcuts import render

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.accounts.selectors import user_list
from fumin.registry.models import Area
from fumin.registry.selectors import area_list, unit_list


@require_capability(Capability.CONSOLE)
def home(request):
    """The workbench's front page: what lies in the viewer's scope, counted from the records."""
    scope = scope_of(request.user)
    areas = area_list(viewer=request.user)
    context = {
        "scope_areas": areas.filter(path__in=scope.area_paths),
        "community_count": areas.filter(kind=Area.Kind.COMMUNITY).count(),
        "grid_count": areas.filter(kind=Area.Kind.GRID).count(),
        "unit_count": unit_list(viewer=request.user).count(),
        "user_count": user_list(viewer=request.user).count(),
    }
    return render(request, "console/home.html", context)
