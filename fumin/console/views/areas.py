from django.http import Http404
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.core.paging import paginate, query_without_page
from fumin.core.widgets import search_options
from fumin.registration.forms import all_communities
from fumin.registry.models import Area
from fumin.registry.selectors import (
    area_get,
    area_list,
    area_tree,
    communities_matching,
    unit_list,
)

# Where a search box finds residential communities: those of the viewer's scope (an activity's, a
# need's), or every one (a registration moves house, or a unit registers anywhere in the city).
COMMUNITY_SEARCH = reverse_lazy("console:community_options")
ANY_COMMUNITY_SEARCH = format_lazy("{}?all=1", COMMUNITY_SEARCH)


@require_capability(Capability.CONSOLE)
def community_options(request):
    """Residential communities found by name, pinyin or initials, with their subdistrict: the
    viewer's, or with ``all`` every one (community names are public)."""
    communities = (
        all_communities()
        if request.GET.get("all")
        else area_list(viewer=request.user, kind=Area.Kind.COMMUNITY)
    )
    return search_options(
        request, lambda text: communities_matching(communities, text), Area.name_with_subdistrict
    )


@require_capability(Capability.VIEW_AREAS)
def area_index(request):
    """The area tree of the viewer's scope, with a name / pinyin filter."""
    text = request.GET.get("q", "").strip()
    tree = area_tree(viewer=request.user)
    if text:
        matching = set(area_list(viewer=request.user, text=text).values_list("path", flat=True))
        # Keep the matches and the chain above each, so a match is shown in its place.
        tree = [a for a in tree if any(m.startswith(a.path) for m in matching)]
    base_depth = min((a.depth for a in tree), default=0)
    for area in tree:
        area.indent = area.depth - base_depth
    template = "console/areas/_tree.html" if request.htmx else "console/areas/index.html"
    return render(request, template, {"tree": tree, "q": text, "kinds": Area.Kind.choices})


@require_capability(Capability.VIEW_AREAS)
def area_detail(request, public_id):
    area = area_get(viewer=request.user, public_id=public_id)
    if area is None:
        raise Http404
    units = paginate(request, unit_list(viewer=request.user, area=area))
    children = area.children.filter(archived_at__isnull=True).order_by("name_pinyin")
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "children": children,
        "units": units,
        "query": query_without_page(request),
    }
    return render(request, "console/areas/detail.html", context)
