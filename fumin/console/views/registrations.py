"""Console pages for dual registration (双报到): what awaits confirmation, who is registered, who is
overdue for the yearly re-confirmation; the liaison's registration of its party organisation; the
subdistrict's approval of proposed units."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.activities.selectors import team_list
from fumin.core.errors import labelled
from fumin.core.paging import paginate, query_without_page
from fumin.registration import selectors, services
from fumin.registration.forms import (
    AgreementForm,
    MemberRegistrationForm,
    MoveForm,
    OrgRegistrationForm,
    ReasonForm,
    UnitProposalForm,
    all_communities,
)
from fumin.registration.models import MemberRegistration
from fumin.registry.selectors import area_list, party_org_list, unit_list

from .areas import ANY_COMMUNITY_SEARCH, COMMUNITY_SEARCH
from .forms import handle_form

STATUS_FILTERS = [
    ("pending", _("awaiting confirmation")),
    ("confirmed", _("confirmed")),
    ("overdue", _("re-confirmation overdue")),
    ("rejected", _("rejected")),
    ("transferred", _("moved to another community")),
    ("ended", _("deregistered")),
]


def _registration_or_404(request, kind, public_id):
    if kind not in ("member", "org"):
        raise Http404
    get = selectors.member_registration_get if kind == "member" else selectors.org_registration_get
    registration = get(viewer=request.user, public_id=public_id)
    if registration is None:
        raise Http404
    return registration


@require_capability(Capability.CONSOLE)
def registration_index(request):
    tab = "orgs" if request.GET.get("tab") == "orgs" else "members"
    status = request.GET.get("status", "pending")
    status = status if status in dict(STATUS_FILTERS) or status == "" else "pending"
    text = request.GET.get("q", "").strip()
    if tab == "orgs":
        rows = selectors.org_registration_list(viewer=request.user, status=status, text=text)
    else:
        rows = selectors.member_registration_list(viewer=request.user, status=status, text=text)
    scope = scope_of(request.user)
    context = {
        "tab": tab,
        "kind": "org" if tab == "orgs" else "member",
        "status": status,
        "statuses": STATUS_FILTERS,
        "q": text,
        "rows": paginate(request, rows.order_by("-created_at")),
        "query": query_without_page(request),
        "can_decide": scope.can(Capability.EDIT_REGISTRY),
        "can_register_org": bool(scope.unit_ids) or scope.can(Capability.EDIT_REGISTRY),
        "proposal_count": selectors.unit_proposal_list(viewer=request.user)
        .filter(status="pending")
        .count(),
    }
    template = (
        "console/registrations/_table.html" if request.htmx else "console/registrations/index.html"
    )
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def registration_detail(request, kind, public_id):
    registration = _registration_or_404(request, kind, public_id)
    scope = scope_of(request.user)
    can_decide = scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(registration.community)
    history = []
    if kind == "member":
        history = (
            MemberRegistration.objects.filter(person=registration.person)
            .select_related("community")
            .order_by("-created_at")
        )
    context = {
        "kind": kind,
        "registration": registration,
        "history": history,
        "can_decide": can_decide,
        "reason_form": ReasonForm(),
        "move_form": MoveForm(communities=all_communities(), community_search=ANY_COMMUNITY_SEARCH),
        "agreement_form": AgreementForm() if kind == "org" else None,
        "volunteer_teams": (
            team_list(viewer=request.user).filter(community=registration.community)
            if kind == "member" and can_decide and registration.status == "pending"
            else []
        ),
    }
    return render(request, "console/registrations/detail.html", context)


def _decision(request, kind, public_id, action):
    registration = _registration_or_404(request, kind, public_id)
    try:
        action(registration)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "volunteer_team" in error.error_dict:
            for message in error.message_dict["volunteer_team"]:
                messages.error(request, f"{_('volunteer team')}: {message}")
        else:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("console:registration_detail", kind=kind, public_id=public_id)


def _posted_team(request, registration):
    """The volunteer team chosen at confirmation (optional): one of the registration's
    community that the viewer runs."""
    team_id = request.POST.get("volunteer_team", "").strip()
    if not team_id:
        return None
    try:
        uuid.UUID(team_id)
    except ValueError:
        team = None
    else:
        team = (
            team_list(viewer=request.user)
            .filter(public_id=team_id, community=registration.community)
            .first()
        )
    if team is None:
        raise ValidationError(
            {"volunteer_team": _("Choose a volunteer team of the registration's community.")}
        )
    return team


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def registration_confirm(request, kind, public_id):
    """Confirm; a member may at once join a volunteer team of the community (optional)."""
    return _decision(
        request,
        kind,
        public_id,
        lambda r: services.registration_confirm(
            actor=request.user,
            registration=r,
            volunteer_team=_posted_team(request, r) if kind == "member" else None,
            request=request,
        ),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def registration_reject(request, kind, public_id):
    reason = request.POST.get("reason", "")
    return _decision(
        request,
        kind,
        public_id,
        lambda r: services.registration_reject(
            actor=request.user, registration=r, reason=reason, request=request
        ),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def registration_reconfirm(request, kind, public_id):
    return _decision(
        request,
        kind,
        public_id,
        lambda r: services.registration_reconfirm(
            actor=request.user, registration=r, request=request
        ),
    )


@require_POST
@require_capability(Capability.CONSOLE)
def registration_end(request, kind, public_id):
    reason = request.POST.get("reason", "")
    return _decision(
        request,
        kind,
        public_id,
        lambda r: services.registration_end(
            actor=request.user, registration=r, reason=reason, request=request
        ),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def registration_move(request, public_id):
    registration = _registration_or_404(request, "member", public_id)
    form = MoveForm(
        request.POST, communities=all_communities(), community_search=ANY_COMMUNITY_SEARCH
    )
    if not form.is_valid():
        messages.error(request, _("Choose the new home community."))
        return redirect("console:registration_detail", kind="member", public_id=public_id)
    try:
        moved = services.member_move(
            actor=request.user,
            registration=registration,
            community=form.cleaned_data["community"],
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("console:registration_detail", kind="member", public_id=public_id)
    messages.success(
        request,
        _("The registration passed to %(community)s.") % {"community": moved.community.name},
    )
    return redirect("console:registration_index")


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def agreement_add(request, public_id):
    registration = _registration_or_404(request, "org", public_id)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_add(
                actor=request.user, registration=registration, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Agreement saved."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, labelled(label, " ".join(errors)))
    return redirect("console:registration_detail", kind="org", public_id=public_id)


@require_capability(Capability.EDIT_REGISTRY)
def member_registration_create(request):
    """Community staff enter a member's registration (登记); a known person shows up instead."""
    form = MemberRegistrationForm(
        request.POST or None,
        communities=area_list(viewer=request.user, kind="community").order_by("path"),
        community_search=COMMUNITY_SEARCH,
        units=unit_list(viewer=request.user),
        party_orgs=party_org_list(viewer=request.user),
        unit_search=reverse("console:unit_options"),
        party_org_search=reverse("console:party_org_options"),
    )

    def save(data):
        registration, created = services.member_register(
            actor=request.user,
            channel=MemberRegistration.Channel.COMMUNITY,
            request=request,
            **data,
        )
        if not created:
            messages.info(
                request, _("This person is already registered; here is the existing registration.")
            )
        return reverse("console:registration_detail", args=["member", registration.public_id])

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Registration saved."),
        title=_("Register a member"),
        breadcrumbs=[(_("Dual registration"), reverse("console:registration_index"))],
        cancel_url=reverse("console:registration_index"),
    )


@require_capability(Capability.CONSOLE)
def org_registration_create(request):
    """A unit liaison registers the unit's party organisation with communities."""
    scope = scope_of(request.user)
    if not (scope.unit_ids or scope.can(Capability.EDIT_REGISTRY)):
        raise Http404
    form = OrgRegistrationForm(
        request.POST or None,
        party_orgs=party_org_list(viewer=request.user).filter(unit__isnull=False),
        communities=all_communities(),
        community_search=ANY_COMMUNITY_SEARCH,
    )

    def save(data):
        results = services.org_registration_submit(actor=request.user, request=request, **data)
        if not any(created for _, created in results):
            messages.info(request, _("Already registered with these communities."))
        return reverse("console:registration_index") + "?tab=orgs&status="

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Registration sent to the communities."),
        title=_("Register our party organisation"),
        breadcrumbs=[(_("Dual registration"), reverse("console:registration_index"))],
        cancel_url=reverse("console:registration_index"),
    )


@require_capability(Capability.CONSOLE)
def unit_proposal_create(request):
    """Propose a unit that is not yet in the registry, with its first registrations."""
    form = UnitProposalForm(request.POST or None, communities=all_communities())

    def save(data):
        services.unit_propose(actor=request.user, request=request, **data)
        return reverse("console:registration_index") + "?tab=orgs&status="

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Proposal sent; the subdistrict will add the unit."),
        title=_("Propose a unit"),
        breadcrumbs=[(_("Dual registration"), reverse("console:registration_index"))],
        cancel_url=reverse("console:registration_index"),
    )


@require_capability(Capability.MANAGE_USERS)
def unit_proposal_index(request):
    proposals = selectors.unit_proposal_list(viewer=request.user).order_by("status", "-created_at")
    return render(
        request,
        "console/registrations/proposals.html",
        {"proposals": paginate(request, proposals), "reason_form": ReasonForm()},
    )


@require_POST
@require_capability(Capability.MANAGE_USERS)
def unit_proposal_decide(request, public_id):
    proposal = selectors.unit_proposal_list(viewer=request.user).filter(public_id=public_id).first()
    if proposal is None:
        raise Http404
    try:
        services.unit_proposal_decide(
            actor=request.user,
            proposal=proposal,
            approve=request.POST.get("approve") == "1",
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("console:unit_proposal_index")
