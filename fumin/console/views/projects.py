"""Console pages of the projects list (项目清单): the filtered list with claim counts and progress,
its Excel export, the form, and the project's page with its needs, resources, milestones and
progress, status actions, copying forward to next year, marking it adjusted, and its claims with
the form to record one. Also the sectors and programmes (板块 / 大项) of subdistrict staff."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.activities.selectors import activity_list
from fumin.core.paging import paginate, query_without_page
from fumin.lists import services
from fumin.lists.forms import (
    AdjustForm,
    ClaimForm,
    CopyForwardForm,
    EvaluateForm,
    MilestoneForm,
    ProgrammeForm,
    ProjectEditForm,
    ProjectForm,
    SectorForm,
)
from fumin.lists.models import Claim, Need, Programme, Project, Sector
from fumin.lists.selectors import (
    RUNNING_PROJECT_STATUSES,
    claim_list,
    claimable_units,
    need_list,
    project_get,
    project_history,
    project_list,
    resource_list,
    sector_tree,
)
from fumin.registry.selectors import area_list

from .forms import handle_form
from .lists_common import add_errors, error_lines, found_or_404, next_url, pick, xlsx_export
from .units import CLAIMABLE_UNIT_SEARCH

ACTIVE_NEEDS = (Need.Status.OPEN, Need.Status.MATCHED, Need.Status.IN_PROJECT)


def _project_or_404(request, public_id) -> Project:
    return found_or_404(project_get(viewer=request.user, public_id=public_id))


def _editable_project(request, public_id) -> Project:
    """A project the viewer may change: 404 if they cannot see it, 403 if they may only look."""
    project = _project_or_404(request, public_id)
    if not services.may_edit_project(request.user, project):
        raise PermissionDenied
    return project


def _detail_url(project) -> str:
    return reverse("console:project_detail", args=[project.public_id])


def with_progress(projects):
    """Milestones done and in all, counted in the list's one query; ``progress`` set on each."""
    return projects.annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__done_at__isnull=False), distinct=True
        ),
    )


def set_progress(projects) -> None:
    finished = (Project.Status.COMPLETED, Project.Status.EVALUATED)
    for project in projects:
        if project.status in finished:
            project.progress = 100
        elif project.milestone_count:
            project.progress = round(100 * project.milestones_done / project.milestone_count)
        else:
            project.progress = 0


# List and export --------------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    sectors = list(sector_tree())
    programmes = [p for s in sectors for p in s.programmes.all()]
    sector_id, programme_id = _int(request.GET.get("sector")), _int(request.GET.get("programme"))
    adjusted = request.GET.get("adjusted", "")
    year = _int(request.GET.get("year"))
    return {
        "q": request.GET.get("q", "").strip(),
        "year": year if year and 2000 <= year <= 2100 else None,
        "level": pick(Project.Level, request.GET.get("level", "")),
        "kind": pick(Project.Kind, request.GET.get("kind", "")),
        "status": pick(Project.Status, request.GET.get("status", "")),
        "sector": next((s for s in sectors if s.pk == sector_id), None),
        "programme": next((p for p in programmes if p.pk == programme_id), None),
        "adjusted": adjusted if adjusted in ("yes", "no") else "",
        "sectors": sectors,
        "programmes": programmes,
        "years": sorted(
            set(Project.objects.values_list("year", flat=True).distinct()), reverse=True
        ),
    }


def _filtered(request, filters):
    return project_list(
        viewer=request.user,
        text=filters["q"],
        year=filters["year"],
        level=filters["level"],
        kind=filters["kind"],
        status=filters["status"],
        sector=filters["sector"],
        programme=filters["programme"],
        adjusted={"yes": True, "no": False}.get(filters["adjusted"]),
    )


@require_capability(Capability.CONSOLE)
def project_index(request):
    filters = _filters(request)
    page = paginate(request, with_progress(_filtered(request, filters)))
    set_progress(page.object_list)
    context = {
        **filters,
        "projects": page,
        "levels": Project.Level.choices,
        "kinds": Project.Kind.choices,
        "statuses": Project.Status.choices,
        "query": query_without_page(request),
    }
    template = (
        "console/lists/projects/_table.html"
        if request.htmx
        else "console/lists/projects/index.html"
    )
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def project_export(request):
    filters = _filters(request)
    projects = list(with_progress(_filtered(request, filters)))
    set_progress(projects)
    rows = [
        [
            p.year,
            p.name,
            p.get_level_display(),
            p.programme.sector.name if p.programme_id else "",
            p.programme.name if p.programme_id else "",
            p.get_kind_display(),
            p.owner_area.name,
            p.get_status_display(),
            p.claim_count,
            p.progress,
            _("yes") if p.adjusted else "",
            p.adjustment_note,
            p.description,
        ]
        for p in projects
    ]
    columns = [
        _("year"),
        _("project name"),
        _("level"),
        _("sector"),
        _("programme"),
        _("kind"),
        _("owner area"),
        _("status"),
        _("claims"),
        _("progress (%)"),
        _("adjusted this year"),
        _("what was adjusted"),
        _("description"),
    ]
    return xlsx_export(
        request,
        title=capfirst(_("projects")),
        columns=columns,
        rows=rows,
        list_name="projects",
    )


# Create and edit --------------------------------------------------------------------------------


def _form_choices(viewer) -> dict:
    return {
        "programmes": Programme.objects.select_related("sector"),
        "areas": area_list(viewer=viewer).exclude(kind="district").order_by("path"),
        "needs": need_list(viewer=viewer, status="").filter(status__in=ACTIVE_NEEDS),
        "resources": resource_list(viewer=viewer),
    }


@require_capability(Capability.EDIT_REGISTRY)
def project_create(request):
    initial = {}
    choices = _form_choices(request.user)
    communities = [a for a in choices["areas"] if a.kind == "community"]
    if len(choices["areas"]) == 1 and communities:
        initial = {"owner_area": communities[0], "level": Project.Level.COMMUNITY}
    form = ProjectForm(request.POST or None, initial=initial, **choices)
    return handle_form(
        request,
        form,
        save=lambda data: _detail_url(
            services.project_create(actor=request.user, request=request, **data)
        ),
        success_message=_("Project saved as a draft."),
        title=_("New project"),
        breadcrumbs=[(capfirst(_("projects")), reverse("console:project_index"))],
        cancel_url=reverse("console:project_index"),
    )


@require_capability(Capability.CONSOLE)
def project_edit(request, public_id):
    project = _editable_project(request, public_id)
    form = ProjectEditForm(
        request.POST or None,
        initial=ProjectForm.initial_for(project),
        **_form_choices(request.user),
    )

    def save(data):
        services.project_update(
            actor=request.user,
            project=Project.objects.get(pk=project.pk),
            needs=list(data.pop("needs")),
            resources=list(data.pop("resources")),
            request=request,
            **data,
        )
        return _detail_url(project)

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Project saved."),
        title=_("Edit project"),
        breadcrumbs=[
            (capfirst(_("projects")), reverse("console:project_index")),
            (project.name, _detail_url(project)),
        ],
        cancel_url=_detail_url(project),
    )


# The project's page -----------------------------------------------------------------------------


def _action_label(project, status) -> str:
    if status == Project.Status.IN_PROGRESS and project.status == Project.Status.COMPLETED:
        return _("Back to in progress")
    return {
        Project.Status.PUBLISHED: _("Publish"),
        Project.Status.DRAFT: _("Back to draft"),
        Project.Status.IN_PROGRESS: _("Start"),
        Project.Status.COMPLETED: _("Complete"),
        Project.Status.EVALUATED: _("Evaluate"),
    }.get(status, status)


def render_detail(request, project, *, status=200, errors=(), forms=None):
    """The project's page; ``forms`` holds the bound form of a failed action by name."""
    forms = forms or {}
    can_edit = services.may_edit_project(request.user, project)
    milestones = list(project.milestones.all())
    # Units the viewer may still claim for: not those that hold an active claim already.
    units = claimable_units(viewer=request.user).exclude(
        claims__project=project, claims__status=Claim.Status.ACTIVE
    )
    claims = list(claim_list(viewer=request.user, project=project, include_withdrawn=True))
    for claim in claims:
        # Only who may record a unit's claim may withdraw it: a liaison sees the other units'
        # claims on a project but withdraws only their own unit's.
        claim.can_withdraw = claim.status == Claim.Status.ACTIVE and services.may_record_claim(
            request.user, project, claim.unit
        )
    order = [
        Project.Status.PUBLISHED,
        Project.Status.IN_PROGRESS,
        Project.Status.COMPLETED,
        Project.Status.DRAFT,
    ]
    allowed = services.PROJECT_TRANSITIONS.get(project.status, set())
    actions = [(s, _action_label(project, s)) for s in order if s in allowed] if can_edit else []
    labels = dict(Project.Status.choices)
    history = list(project_history(project))
    for event in history:
        event.from_label = labels.get(event.from_status, event.from_status)
        event.to_label = labels.get(event.to_status, event.to_status)
    context = {
        "project": project,
        "progress": services.project_progress(project),
        "milestones": milestones,
        "needs": list(project.needs.all()),
        "resources": list(project.resources.all()),
        "claims": claims,
        "history": history,
        "copies": list(project.copies.all()),
        "activities": list(
            activity_list(viewer=request.user).filter(project=project).order_by("starts_at")
        ),
        "can_add_activity": project.status in RUNNING_PROJECT_STATUSES
        and project.archived_at is None
        and scope_of(request.user).can(Capability.EDIT_REGISTRY),
        "can_edit": can_edit,
        "actions": actions,
        "can_evaluate": can_edit and Project.Status.EVALUATED in allowed,
        "can_claim": project.status in services.CLAIMABLE
        and project.archived_at is None
        and units.exists(),
        "claim_form": forms.get("claim")
        or ClaimForm(units=units, unit_search=CLAIMABLE_UNIT_SEARCH),
        "milestone_form": forms.get("milestone") or MilestoneForm(),
        "evaluate_form": forms.get("evaluate") or EvaluateForm(),
        "adjust_form": forms.get("adjust") or AdjustForm(initial={"note": project.adjustment_note}),
        "copy_form": forms.get("copy") or CopyForwardForm(initial={"year": project.year + 1}),
        "withdraw_forms": {k: v for k, v in forms.items() if k.startswith("withdraw:")},
        "errors": list(errors),
    }
    return render(request, "console/lists/projects/detail.html", context, status=status)


@require_capability(Capability.CONSOLE)
def project_detail(request, public_id):
    return render_detail(request, _project_or_404(request, public_id))


@require_POST
@require_capability(Capability.CONSOLE)
def project_set_status(request, public_id):
    project = _editable_project(request, public_id)
    target = pick(Project.Status, request.POST.get("status", ""))
    form = EvaluateForm(request.POST) if target == Project.Status.EVALUATED else None
    try:
        if not target:
            raise ValidationError({"status": _("Choose a status.")})
        services.project_set_status(
            actor=request.user,
            project=project,
            status=target,
            note=request.POST.get("note", ""),
            evaluation=request.POST.get("evaluation", ""),
            request=request,
        )
    except ValidationError as error:
        if form is not None:
            form.is_valid()
            add_errors(form, error)
            return render_detail(request, project, status=400, forms={"evaluate": form})
        return render_detail(request, project, status=400, errors=error_lines(error))
    messages.success(
        request,
        _("The project is now “%(status)s”.") % {"status": Project.Status(target).label},
    )
    return redirect(_detail_url(project))


@require_POST
@require_capability(Capability.CONSOLE)
def project_copy_forward(request, public_id):
    project = _editable_project(request, public_id)
    form = CopyForwardForm(request.POST)
    if form.is_valid():
        try:
            copy = services.project_copy_forward(
                actor=request.user, project=project, year=form.cleaned_data["year"], request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Copied to %(year)s as a draft.") % {"year": copy.year})
            return redirect(_detail_url(copy))
    return render_detail(request, project, status=400, forms={"copy": form})


@require_POST
@require_capability(Capability.CONSOLE)
def project_mark_adjusted(request, public_id):
    project = _editable_project(request, public_id)
    form = AdjustForm(request.POST)
    if form.is_valid():
        try:
            services.project_mark_adjusted(
                actor=request.user, project=project, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Marked as adjusted this year."))
            return redirect(_detail_url(project))
    return render_detail(request, project, status=400, forms={"adjust": form})


@require_POST
@require_capability(Capability.CONSOLE)
def milestone_add(request, public_id):
    project = _editable_project(request, public_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user, project=project, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Milestone added."))
            return redirect(_detail_url(project) + "#milestones")
    return render_detail(request, project, status=400, forms={"milestone": form})


@require_POST
@require_capability(Capability.CONSOLE)
def milestone_set_done(request, public_id, milestone_id):
    project = _editable_project(request, public_id)
    milestone = found_or_404(project.milestones.filter(pk=milestone_id).first())
    services.milestone_set_done(
        actor=request.user,
        milestone=milestone,
        done=request.POST.get("done", "1") == "1",
        request=request,
    )
    return redirect(_detail_url(project) + "#milestones")


@require_POST
@require_capability(Capability.CONSOLE)
def claim_record(request, public_id):
    project = _project_or_404(request, public_id)
    form = ClaimForm(
        request.POST,
        units=claimable_units(viewer=request.user),
        unit_search=CLAIMABLE_UNIT_SEARCH,
    )
    if form.is_valid():
        try:
            claim = services.claim_create(
                actor=request.user, project=project, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Claim recorded: certificate %(number)s.") % {"number": claim.certificate_number},
            )
            return redirect(next_url(request, _detail_url(project) + "#claims"))
    return render_detail(request, project, status=400, forms={"claim": form})


# Sectors and programmes -------------------------------------------------------------------------


def _subdistrict(viewer):
    """The subdistrict whose scheme the viewer manages (the first in their scope)."""
    return area_list(viewer=viewer, kind="subdistrict").order_by("path").first()


@require_capability(Capability.MANAGE_PROJECTS)
def sector_index(request):
    sectors = Sector.objects.order_by("position", "pk")
    which = request.POST.get("form", "")
    sector_form = SectorForm(request.POST if which == "sector" else None, prefix="sector")
    programme_form = ProgrammeForm(
        request.POST if which == "programme" else None, sectors=sectors, prefix="programme"
    )
    status = 200
    if request.method == "POST":
        form = sector_form if which == "sector" else programme_form
        area = _subdistrict(request.user)
        if form.is_bound and form.is_valid() and area is not None:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = 100
            try:
                if which == "sector":
                    services.sector_create(
                        actor=request.user, area=area, request=request, **form.cleaned_data
                    )
                else:
                    services.programme_create(
                        actor=request.user, area=area, request=request, **form.cleaned_data
                    )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("console:sector_index")
        if not form.is_bound:
            form.is_valid()
        status = 400
    context = {
        "sectors": sector_tree().annotate(project_count=Count("programmes__projects")),
        "sector_form": sector_form,
        "programme_form": programme_form,
    }
    return render(request, "console/lists/projects/sectors.html", context, status=status)
