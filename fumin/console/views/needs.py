"""Console pages of the needs list (需求清单): the filtered list and its Excel export, the form,
the need's page with its status history and status actions, and the matching workbench (需求对接)
where a person accepts or declines the suggested resources or starts a project from one.

A need outside the viewer's scope is not found (404); an action the services refuse is 403; bad
input comes back on the page naming the field, with status 400.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.core.paging import paginate, query_without_page
from fumin.lists import matching, services
from fumin.lists.forms import DeclineForm, NeedCloseForm, NeedForm, NeedNoteForm, StartProjectForm
from fumin.lists.models import Need
from fumin.lists.selectors import (
    category_choices,
    need_get,
    need_history,
    need_list,
    need_matches,
    resource_list,
)
from fumin.registry.selectors import area_list

from .forms import handle_form
from .lists_common import (
    add_errors,
    error_lines,
    found_or_404,
    is_uuid,
    local_date,
    next_url,
    pick,
    suggestion_for,
    text_category_community_filters,
    xlsx_export,
)


def _need_or_404(request, public_id) -> Need:
    return found_or_404(need_get(viewer=request.user, public_id=public_id))


def _editable_need(request, public_id) -> Need:
    """A need the viewer may change: 404 if they cannot see it, 403 if they may only look."""
    need = _need_or_404(request, public_id)
    if not services.may_edit_need(request.user, need):
        raise PermissionDenied
    return need


def _detail_url(need) -> str:
    return reverse("console:need_detail", args=[need.public_id])


def _communities(viewer):
    return area_list(viewer=viewer, kind="community").order_by("path")


def masked_name(user) -> str:
    """A raiser's name with all but its first character hidden (needs carry no personal data)."""
    name = getattr(user, "name", "") or ""
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


# List and export --------------------------------------------------------------------------------


def _filters(request) -> dict:
    return {
        **text_category_community_filters(request, _communities(request.user)),
        "status": pick(Need.Status, request.GET.get("status", "")),
        "urgency": pick(Need.Urgency, request.GET.get("urgency", "")),
    }


def _filtered(request, filters):
    return need_list(
        viewer=request.user,
        text=filters["q"],
        status=filters["status"],
        category=filters["category"],
        area=filters["community"],
        urgency=filters["urgency"],
    )


@require_capability(Capability.CONSOLE)
def need_index(request):
    filters = _filters(request)
    context = {
        **filters,
        "needs": paginate(request, _filtered(request, filters)),
        "statuses": Need.Status.choices,
        "urgencies": Need.Urgency.choices,
        "query": query_without_page(request),
        "can_create": bool(filters["communities"]),
    }
    template = (
        "console/lists/needs/_table.html" if request.htmx else "console/lists/needs/index.html"
    )
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def need_export(request):
    filters = _filters(request)
    needs = _filtered(request, filters).order_by("-created_at", "-pk")
    rows = [
        [
            need.title,
            need.category.name,
            need.area.name,
            need.get_urgency_display(),
            need.get_status_display(),
            need.beneficiary_group,
            need.expected_beneficiaries,
            need.get_source_display(),
            local_date(need.created_at),
            need.description,
        ]
        for need in needs
    ]
    columns = [
        _("title"),
        _("category"),
        _("residential community"),
        _("urgency"),
        _("status"),
        _("beneficiary group"),
        _("expected number of beneficiaries"),
        _("raised by"),
        _("created"),
        _("description"),
    ]
    return xlsx_export(
        request, title=capfirst(_("needs")), columns=columns, rows=rows, list_name="needs"
    )


# Create and edit --------------------------------------------------------------------------------


def _form(request, **kwargs) -> NeedForm:
    communities = _communities(request.user)
    if "initial" not in kwargs and len(communities) == 1:
        kwargs["initial"] = {"area": communities[0]}
    return NeedForm(
        request.POST or None, categories=category_choices(), communities=communities, **kwargs
    )


@require_capability(Capability.EDIT_REGISTRY)
def need_create(request):
    form = _form(request)
    return handle_form(
        request,
        form,
        save=lambda data: _detail_url(
            services.need_create(actor=request.user, request=request, **data)
        ),
        success_message=_("Need saved."),
        title=_("New need"),
        breadcrumbs=[(capfirst(_("needs")), reverse("console:need_index"))],
        cancel_url=reverse("console:need_index"),
    )


@require_capability(Capability.CONSOLE)
def need_edit(request, public_id):
    need = _editable_need(request, public_id)
    form = _form(request, initial=NeedForm.initial_for(need))

    def save(data):
        services.need_update(
            actor=request.user, need=Need.objects.get(pk=need.pk), request=request, **data
        )
        return _detail_url(need)

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Need saved."),
        title=_("Edit need"),
        breadcrumbs=[
            (capfirst(_("needs")), reverse("console:need_index")),
            (need.title, _detail_url(need)),
        ],
        cancel_url=_detail_url(need),
    )


# The need's page and the matching workbench -----------------------------------------------------


def render_detail(request, need, *, status=200, errors=(), forms=None):
    """The need's page. ``forms`` holds bound forms of a failed action, by name (``close``,
    ``decline:<resource id>``, ``start:<resource id>``), shown open with their errors."""
    forms = forms or {}
    can_edit = services.may_edit_need(request.user, need)
    suggestions = []
    if can_edit and need.is_active:
        found = matching.suggest_for_need(need)
        visible = set(
            resource_list(viewer=request.user)
            .filter(pk__in=[s.resource.pk for s in found])
            .values_list("pk", flat=True)
        )
        default_start = {"name": need.title}
        for suggestion in found:
            key = str(suggestion.resource.public_id)
            suggestions.append(
                {
                    "suggestion": suggestion,
                    "key": key,
                    "visible": suggestion.resource.pk in visible,
                    "decline_form": forms.get(f"decline:{key}") or DeclineForm(),
                    "start_form": forms.get(f"start:{key}")
                    or StartProjectForm(initial=default_start, auto_id=f"start-{key}-%s"),
                }
            )
    transitions = services.NEED_TRANSITIONS.get(need.status, set())
    labels = dict(Need.Status.choices)
    history = list(need_history(need))
    for event in history:
        event.from_label = labels.get(event.from_status, event.from_status)
        event.to_label = labels.get(event.to_status, event.to_status)
        # The raiser is masked here too, as under "raised by".
        raiser = event.actor_id is not None and event.actor_id == need.raised_by_id
        event.actor_label = masked_name(event.actor) if raiser else getattr(event.actor, "name", "")
    context = {
        "need": need,
        "raised_by": masked_name(need.raised_by) if need.raised_by_id else "",
        "history": history,
        "decisions": list(need_matches(need)),
        "projects": list(need.projects.all()),
        "suggestions": suggestions,
        "can_edit": can_edit,
        "can_close": can_edit and Need.Status.CLOSED in transitions,
        "can_meet": can_edit and Need.Status.MET in transitions,
        "can_reopen": can_edit and need.status == Need.Status.CLOSED,
        "close_form": forms.get("close") or NeedCloseForm(),
        "errors": list(errors),
    }
    return render(request, "console/lists/needs/detail.html", context, status=status)


@require_capability(Capability.CONSOLE)
def need_detail(request, public_id):
    return render_detail(request, _need_or_404(request, public_id))


def _set_status(request, public_id, status, form_class, form_name, success):
    need = _editable_need(request, public_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            services.need_set_status(
                actor=request.user,
                need=need,
                status=status,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_detail_url(need))
    return render_detail(request, need, status=400, forms={form_name: form})


@require_POST
@require_capability(Capability.CONSOLE)
def need_close(request, public_id):
    return _set_status(
        request, public_id, Need.Status.CLOSED, NeedCloseForm, "close", _("Need closed.")
    )


@require_POST
@require_capability(Capability.CONSOLE)
def need_mark_met(request, public_id):
    return _set_status(
        request, public_id, Need.Status.MET, NeedNoteForm, "met", _("Need marked as met.")
    )


@require_POST
@require_capability(Capability.CONSOLE)
def need_reopen(request, public_id):
    return _set_status(
        request, public_id, Need.Status.OPEN, NeedNoteForm, "reopen", _("Need reopened.")
    )


def _suggested_resource(request, need):
    """The resource named by the posted ``resource`` public id (any, not archived), or None:
    suggestions may come from anywhere in the subdistrict, the service checks the need."""
    from fumin.lists.models import Resource

    resource_id = request.POST.get("resource", "")
    if not is_uuid(resource_id):
        return None
    return Resource.objects.select_related("unit").filter(public_id=resource_id).first()


def _decision(request, public_id, *, accept: bool):
    need = _editable_need(request, public_id)
    resource = _suggested_resource(request, need)
    key = str(resource.public_id) if resource else ""
    form = DeclineForm(request.POST)
    try:
        if resource is None:
            raise ValidationError({"resource": _("Choose a resource.")})
        if not form.is_valid():
            raise ValidationError(form.errors)
        score, reasons = suggestion_for(need, resource)
        decide = services.match_accept if accept else services.match_decline
        decide(
            actor=request.user,
            need=need,
            resource=resource,
            score=score,
            reasons=reasons,
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as error:
        return render_detail(
            request, need, status=400, errors=error_lines(error), forms={f"decline:{key}": form}
        )
    if accept:
        messages.success(request, _("Accepted: %(resource)s.") % {"resource": resource.title})
    else:
        messages.success(request, _("Declined: %(resource)s.") % {"resource": resource.title})
    return redirect(next_url(request, _detail_url(need)))


@require_POST
@require_capability(Capability.CONSOLE)
def need_accept(request, public_id):
    return _decision(request, public_id, accept=True)


@require_POST
@require_capability(Capability.CONSOLE)
def need_decline(request, public_id):
    return _decision(request, public_id, accept=False)


@require_POST
@require_capability(Capability.CONSOLE)
def need_start_project(request, public_id):
    need = _editable_need(request, public_id)
    resource = _suggested_resource(request, need)
    key = str(resource.public_id) if resource else ""
    form = StartProjectForm(request.POST, auto_id=f"start-{key}-%s")
    if form.is_valid():
        score, reasons = suggestion_for(need, resource) if resource else (None, [])
        try:
            project = services.project_start_from_need(
                actor=request.user,
                need=need,
                resource=resource,
                score=score,
                reasons=reasons,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Project started as a draft."))
            return redirect("console:project_detail", public_id=project.public_id)
    return render_detail(
        request,
        need,
        status=400,
        errors=[_("The project was not started; see the form below.")],
        forms={f"start:{key}": form},
    )
