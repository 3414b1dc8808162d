"""Console pages for units (区域单位) and their party organisations (党组织)."""

from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.core.paging import paginate, query_without_page
from fumin.core.search import search_by_name
from fumin.core.widgets import search_options
from fumin.lists.selectors import claimable_units
from fumin.registry import services
from fumin.registry.forms import PartyOrgForm, UnitForm, community_choices
from fumin.registry.models import Area, PartyOrg, Unit
from fumin.registry.selectors import (
    area_get,
    area_list,
    party_org_get,
    party_org_list,
    person_list,
    place_list,
    unit_get,
    unit_list,
)

from .forms import handle_form


def _unit_or_404(request, public_id) -> Unit:
    unit = unit_get(viewer=request.user, public_id=public_id)
    if unit is None:
        raise Http404
    return unit


def _unit_choices(viewer) -> dict:
    return {"area": area_list(viewer=viewer).order_by("path"), "place": place_list(viewer=viewer)}


@require_capability(Capability.CONSOLE)
def unit_options(request):
    """Units of the viewer's scope found by name, pinyin or initials, with the area they are in,
    for a ``SearchSelect`` (the person form's work unit). ``area`` (a public id) narrows them to
    an area's units, as a council's motion does; an area outside the scope finds nothing."""
    if request.GET.get("claimable"):  # a claim's or a resource's unit (CLAIMABLE_UNIT_SEARCH)
        units = claimable_units(viewer=request.user)
    elif request.GET.get("area"):
        try:
            area_id = UUID(request.GET["area"])
        except ValueError:
            return HttpResponseBadRequest(_("%(field)s: not an area id.") % {"field": "area"})
        area = area_get(viewer=request.user, public_id=area_id)
        # An area that is not the viewer's has nothing to find.
        units = unit_list(viewer=request.user, area=area) if area else Unit.objects.none()
    else:
        units = unit_list(viewer=request.user)
    return search_options(
        request,
        lambda text: (
            search_by_name(units, text).select_related("area").order_by("name_pinyin", "pk")
        ),
        Unit.name_with_area,
    )


# The units a viewer may claim a project or offer a resource for (``claimable_units``): their own
# as a liaison, every one in scope as staff.
CLAIMABLE_UNIT_SEARCH = format_lazy("{}?claimable=1", reverse_lazy("console:unit_options"))


def units_of(area: Area) -> str:
    """The URL a search box finds the units of ``area`` (in the viewer's scope) at."""
    return f"{reverse('console:unit_options')}?{urlencode({'area': area.public_id})}"


def _party_org_searches() -> dict:
    """Units and party organisations number thousands in a district: found, not listed."""
    return {
        "unit": reverse("console:unit_options"),
        "parent": reverse("console:party_org_options"),
    }


@require_capability(Capability.CONSOLE)
def party_org_options(request):
    """Party organisations of the viewer's scope found by name, pinyin or initials, with their
    unit or community, for a ``SearchSelect`` (the person form's party organisation)."""
    return search_options(
        request,
        lambda text: (
            party_org_list(viewer=request.user, text=text)
            .select_related("unit", "community")
            .order_by("name_pinyin", "pk")
        ),
        PartyOrg.name_with_owner,
    )


@require_capability(Capability.CONSOLE)
def unit_index(request):
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    units = paginate(request, unit_list(viewer=request.user, text=text, kind=kind))
    context = {
        "units": units,
        "q": text,
        "kind": kind,
        "kinds": [("two_new", _('"two new" organisations')), *Unit.Kind.choices],
        "query": query_without_page(request),
    }
    template = "console/units/_table.html" if request.htmx else "console/units/index.html"
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def unit_detail(request, public_id):
    unit = _unit_or_404(request, public_id)
    scope = scope_of(request.user)
    context = {
        "unit": unit,
        "party_orgs": party_org_list(viewer=request.user, unit=unit),
        "staff": person_list(viewer=request.user, work_unit=unit)[:50],
        "can_edit": scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(unit.area),
    }
    return render(request, "console/units/detail.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def unit_create(request):
    form = UnitForm(request.POST or None, choices=_unit_choices(request.user))
    return handle_form(
        request,
        form,
        save=lambda data: services.unit_create(actor=request.user, request=request, **data),
        success_message=_("Unit saved."),
        title=_("New unit"),
        breadcrumbs=[(_("Units"), reverse("console:unit_index"))],
        cancel_url=reverse("console:unit_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def unit_edit(request, public_id):
    unit = _unit_or_404(request, public_id)
    form = UnitForm(request.POST or None, instance=unit, choices=_unit_choices(request.user))
    return handle_form(
        request,
        form,
        # The form has written its input onto ``unit``; the service gets the stored record, so
        # it can tell what changed.
        save=lambda data: services.unit_update(
            actor=request.user, unit=Unit.objects.get(pk=unit.pk), request=request, **data
        ),
        success_message=_("Unit saved."),
        title=_("Edit unit"),
        breadcrumbs=[(_("Units"), reverse("console:unit_index")), (unit.name, "")],
        cancel_url=unit.get_absolute_url(),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def unit_archive(request, public_id):
    unit = _unit_or_404(request, public_id)
    services.unit_archive(actor=request.user, unit=unit, request=request)
    return redirect(unit.get_absolute_url())


def _party_org_or_404(request, public_id) -> PartyOrg:
    org = party_org_get(viewer=request.user, public_id=public_id)
    if org is None:
        raise Http404
    return org


def _party_org_choices(viewer) -> dict:
    return {
        "unit": unit_list(viewer=viewer),
        "community": community_choices(area_list(viewer=viewer)),
        "parent": party_org_list(viewer=viewer),
    }


@require_capability(Capability.CONSOLE)
def party_org_index(request):
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    orgs = paginate(request, party_org_list(viewer=request.user, text=text, kind=kind))
    context = {
        "orgs": orgs,
        "q": text,
        "kind": kind,
        "kinds": PartyOrg.Kind.choices,
        "query": query_without_page(request),
    }
    template = "console/party_orgs/_table.html" if request.htmx else "console/party_orgs/index.html"
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def party_org_detail(request, public_id):
    org = _party_org_or_404(request, public_id)
    scope = scope_of(request.user)
    context = {
        "org": org,
        "children": party_org_list(viewer=request.user).filter(parent=org),
        "can_edit": scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(org.area),
    }
    return render(request, "console/party_orgs/detail.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def party_org_create(request):
    initial = {}
    unit = (
        unit_get(viewer=request.user, public_id=request.GET.get("unit"))
        if request.GET.get("unit")
        else None
    )
    if unit is not None:
        initial["unit"] = unit
    form = PartyOrgForm(
        request.POST or None,
        initial=initial,
        choices=_party_org_choices(request.user),
        searches=_party_org_searches(),
    )
    return handle_form(
        request,
        form,
        save=lambda data: services.party_org_create(actor=request.user, request=request, **data),
        success_message=_("Party organisation saved."),
        title=_("New party organisation"),
        breadcrumbs=[(_("Party organisations"), reverse("console:party_org_index"))],
        cancel_url=reverse("console:party_org_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def party_org_edit(request, public_id):
    org = _party_org_or_404(request, public_id)
    form = PartyOrgForm(
        request.POST or None,
        instance=org,
        choices=_party_org_choices(request.user),
        searches=_party_org_searches(),
    )
    form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(pk=org.pk)
    return handle_form(
        request,
        form,
        save=lambda data: services.party_org_update(
            actor=request.user, org=PartyOrg.objects.get(pk=org.pk), request=request, **data
        ),
        success_message=_("Party organisation saved."),
        title=_("Edit party organisation"),
        breadcrumbs=[
            (_("Party organisations"), reverse("console:party_org_index")),
            (org.name, ""),
        ],
        cancel_url=org.get_absolute_url(),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def party_org_archive(request, public_id):
    org = _party_org_or_404(request, public_id)
    services.party_org_archive(actor=request.user, org=org, request=request)
    return redirect(org.get_absolute_url())
