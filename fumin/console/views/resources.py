"""Console pages of the resources list (资源清单): the filtered list and its Excel export, the form
(offered by a unit in the viewer's reach, a registered member, or — for subdistrict staff — a
department), archiving, and the resource's page with the needs it could meet (the workbench seen
from the resource's side) and the projects that use it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.core.paging import paginate, query_without_page
from fumin.lists import matching, services
from fumin.lists.forms import DeclineForm, ResourceEditForm, ResourceForm
from fumin.lists.models import Resource
from fumin.lists.selectors import (
    category_choices,
    claimable_units,
    need_list,
    project_list,
    resource_get,
    resource_list,
)
from fumin.registry.selectors import area_list, person_list

from .forms import handle_form
from .lists_common import (
    found_or_404,
    local_date,
    pick,
    text_category_community_filters,
    xlsx_export,
)
from .units import CLAIMABLE_UNIT_SEARCH


def _resource_or_404(request, public_id) -> Resource:
    return found_or_404(resource_get(viewer=request.user, public_id=public_id))


def _detail_url(resource) -> str:
    return reverse("console:resource_detail", args=[resource.public_id])


# List and export --------------------------------------------------------------------------------


def _filters(request) -> dict:
    communities = area_list(viewer=request.user, kind="community").order_by("path")
    return {
        **text_category_community_filters(request, communities),
        "kind": pick(Resource.Kind, request.GET.get("kind", "")),
        "provider": pick(Resource.Provider, request.GET.get("provider", "")),
    }


def _filtered(request, filters):
    return resource_list(
        viewer=request.user,
        text=filters["q"],
        kind=filters["kind"],
        category=filters["category"],
        area=filters["community"],
        provider=filters["provider"],
    )


@require_capability(Capability.CONSOLE)
def resource_index(request):
    filters = _filters(request)
    context = {
        **filters,
        "resources": paginate(request, _filtered(request, filters)),
        "kinds": Resource.Kind.choices,
        "providers": Resource.Provider.choices,
        "query": query_without_page(request),
    }
    template = (
        "console/lists/resources/_table.html"
        if request.htmx
        else "console/lists/resources/index.html"
    )
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def resource_export(request):
    filters = _filters(request)
    resources = _filtered(request, filters).order_by("-created_at", "-pk")
    rows = [
        [
            r.title,
            r.get_kind_display(),
            r.category.name,
            r.get_provider_display(),
            # A member who offers a resource is named by their role only: no personal data.
            r.get_provider_display() if r.provider == Resource.Provider.MEMBER else r.provider_name,
            r.area.name,
            r.capacity,
            r.availability,
            local_date(r.created_at),
            r.description,
        ]
        for r in resources
    ]
    columns = [
        _("title"),
        _("kind"),
        _("category"),
        _("offered by"),
        _("provider"),
        _("area"),
        _("capacity"),
        _("availability"),
        _("created"),
        _("description"),
    ]
    return xlsx_export(
        request,
        title=capfirst(_("resources")),
        columns=columns,
        rows=rows,
        list_name="resources",
    )


# Create, edit, archive --------------------------------------------------------------------------


def _choices(viewer) -> dict:
    scope = scope_of(viewer)
    return {
        "categories": category_choices(),
        "units": claimable_units(viewer=viewer),
        "people": person_list(viewer=viewer, party_members_only=True).order_by("name_pinyin"),
        "people_search": reverse("console:person_options") + "?party=1",
        "unit_search": CLAIMABLE_UNIT_SEARCH,
        "areas": area_list(viewer=viewer).exclude(kind="district").order_by("path"),
        "departments": scope.can(Capability.MANAGE_PROJECTS),
    }


@require_capability(Capability.CONSOLE)
def resource_create(request):
    choices = _choices(request.user)
    initial = {"provider": Resource.Provider.UNIT}
    if len(choices["units"]) == 1:
        initial["unit"] = choices["units"][0]  # a liaison's own unit
    form = ResourceForm(request.POST or None, initial=initial, **choices)

    def save(data):
        provider = form.provider_data()
        for name in ("provider", "unit", "person", "department"):
            data.pop(name, None)
        resource = services.resource_create(actor=request.user, request=request, **provider, **data)
        return _detail_url(resource)

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Resource saved."),
        title=_("New resource"),
        breadcrumbs=[(capfirst(_("resources")), reverse("console:resource_index"))],
        cancel_url=reverse("console:resource_index"),
    )


@require_capability(Capability.CONSOLE)
def resource_edit(request, public_id):
    resource = _resource_or_404(request, public_id)
    if not services.may_edit_resource(request.user, resource):
        raise PermissionDenied
    form = ResourceEditForm(
        request.POST or None, initial=ResourceForm.initial_for(resource), **_choices(request.user)
    )

    def save(data):
        if data.get("area") is None:
            data.pop("area", None)
        services.resource_update(
            actor=request.user,
            resource=Resource.objects.get(pk=resource.pk),
            request=request,
            **data,
        )
        return _detail_url(resource)

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Resource saved."),
        title=_("Edit resource"),
        breadcrumbs=[
            (capfirst(_("resources")), reverse("console:resource_index")),
            (resource.title, _detail_url(resource)),
        ],
        cancel_url=_detail_url(resource),
    )


@require_POST
@require_capability(Capability.CONSOLE)
def resource_archive(request, public_id):
    resource = _resource_or_404(request, public_id)
    services.resource_archive(actor=request.user, resource=resource, request=request)
    messages.success(request, _("Resource withdrawn: it is no longer suggested."))
    return redirect(_detail_url(resource))


# The resource's page ----------------------------------------------------------------------------


@require_capability(Capability.CONSOLE)
def resource_detail(request, public_id):
    resource = _resource_or_404(request, public_id)
    suggestions = []
    if resource.archived_at is None:
        found = matching.suggest_for_resource(resource)
        # Only the needs this viewer may see; decisions only where they may edit the need.
        visible = {
            need.pk: need
            for need in need_list(viewer=request.user).filter(pk__in=[s.need.pk for s in found])
        }
        for suggestion in found:
            need = visible.get(suggestion.need.pk)
            if need is not None:
                suggestions.append(
                    {
                        "suggestion": suggestion,
                        "need": need,
                        "can_decide": services.may_edit_need(request.user, need),
                    }
                )
    can_edit = services.may_edit_resource(request.user, resource)
    context = {
        "resource": resource,
        # A member who offers a resource is named to those who may edit it, else by role only.
        "provider_shown": (
            resource.get_provider_display()
            if resource.provider == Resource.Provider.MEMBER and not can_edit
            else resource.provider_name
        ),
        "suggestions": suggestions,
        "decline_form": DeclineForm(),
        "decisions": list(
            resource.matches.select_related("need", "project", "decided_by").filter(
                need__in=need_list(viewer=request.user)
            )
        ),
        "projects": list(
            project_list(viewer=request.user, include_archived=True).filter(resources=resource)
        ),
        "can_edit": can_edit,
        "next": _detail_url(resource),
    }
    return render(request, "console/lists/resources/detail.html", context)
