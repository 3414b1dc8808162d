"""Console pages for points rules (积分规则) and volunteer teams (志愿服务队): list, create, edit
or deactivate rules; list, create and edit teams, add and remove members, name leaders. Writes go
through ``fumin.activities.services``; people are found by name, pinyin or initials."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.activities import selectors, services
from fumin.activities.forms import PointsRuleForm, TeamEditForm, TeamForm
from fumin.core.errors import error_lines, labelled
from fumin.core.paging import paginate, query_without_page
from fumin.registry.selectors import area_list, unit_list

from .forms import handle_form

SEARCH_RESULTS = 20


def _may_manage_rules(user) -> bool:
    try:
        services.require_points_manager(user)
    except PermissionDenied:
        return False
    return True


# Points rules -----------------------------------------------------------------------------------


@require_capability(Capability.EDIT_REGISTRY)
def points_rule_index(request):
    context = {
        "rules": selectors.points_rule_list(viewer=request.user),
        "can_manage": _may_manage_rules(request.user),
    }
    return render(request, "console/activities/points_rules.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def points_rule_create(request):
    services.require_points_manager(request.user)
    index = reverse("console:points_rule_index")

    def save(data):
        services.points_rule_create(actor=request.user, request=request, **data)
        return index

    return handle_form(
        request,
        PointsRuleForm(request.POST or None, initial={"active": True}),
        save=save,
        success_message=_("Points rule saved."),
        title=_("New points rule"),
        breadcrumbs=[(_("Points rules"), index)],
        cancel_url=index,
    )


@require_capability(Capability.EDIT_REGISTRY)
def points_rule_edit(request, pk):
    services.require_points_manager(request.user)
    rule = selectors.points_rule_list(viewer=request.user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    index = reverse("console:points_rule_index")
    initial = {name: getattr(rule, name) for name in services.POINTS_RULE_FIELDS}
    form = PointsRuleForm(request.POST or None, initial=initial)

    def save(data):
        services.points_rule_update(actor=request.user, rule=rule, request=request, **data)
        return index

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Points rule saved."),
        title=_("Edit points rule"),
        breadcrumbs=[(_("Points rules"), index), (rule.name, "")],
        cancel_url=index,
    )


# Volunteer teams --------------------------------------------------------------------------------


def _team_or_404(request, public_id):
    team = selectors.team_get(viewer=request.user, public_id=public_id)
    if team is None:
        raise Http404
    return team


@require_capability(Capability.EDIT_REGISTRY)
def team_index(request):
    text = request.GET.get("q", "").strip()
    archived = request.GET.get("archived") == "1"
    teams = selectors.team_list(viewer=request.user, text=text, include_archived=archived)
    context = {
        "teams": paginate(request, teams.order_by("name_pinyin", "pk")),
        "q": text,
        "archived": archived,
        "query": query_without_page(request),
    }
    return render(request, "console/activities/teams.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def team_create(request):
    communities = area_list(viewer=request.user, kind="community").order_by("path")
    initial = {"community": communities[0]} if len(communities) == 1 else None
    form = TeamForm(
        request.POST or None,
        communities=communities,
        units=unit_list(viewer=request.user),
        initial=initial,
    )

    def save(data):
        team = services.team_create(actor=request.user, request=request, **data)
        return reverse("console:team_detail", args=[team.public_id])

    index = reverse("console:team_index")
    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Volunteer team saved."),
        title=_("New volunteer team"),
        breadcrumbs=[(_("Volunteer teams"), index)],
        cancel_url=index,
    )


@require_capability(Capability.EDIT_REGISTRY)
def team_edit(request, public_id):
    team = _team_or_404(request, public_id)
    detail = reverse("console:team_detail", args=[team.public_id])
    initial = {
        "name": team.name,
        "description": team.description,
        "archived": team.archived_at is not None,
    }
    form = TeamEditForm(request.POST or None, initial=initial)

    def save(data):
        services.team_update(actor=request.user, team=team, request=request, **data)
        return detail

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Volunteer team saved."),
        title=_("Edit volunteer team"),
        breadcrumbs=[(_("Volunteer teams"), reverse("console:team_index")), (team.name, detail)],
        cancel_url=detail,
    )


@require_capability(Capability.EDIT_REGISTRY)
def team_detail(request, public_id):
    team = _team_or_404(request, public_id)
    return render(
        request,
        "console/activities/team_detail.html",
        {"team": team, "memberships": team.current_memberships},
    )


@require_capability(Capability.EDIT_REGISTRY)
def team_people_search(request, public_id):
    """People who may join the team, by name, pinyin or initials (an HTMX fragment)."""
    team = _team_or_404(request, public_id)
    text = request.GET.get("q", "").strip()
    people = []
    if text:
        people = list(
            selectors.team_candidates(viewer=request.user, team=team, text=text)[:SEARCH_RESULTS]
        )
    return render(
        request, "console/activities/_team_people.html", {"team": team, "people": people, "q": text}
    )


def _posted_person(request, team, *, member: bool):
    """The person named by the posted ``person`` public id: a current member (``member``) or
    someone who may join; None otherwise."""
    person_id = request.POST.get("person", "")
    try:
        uuid.UUID(person_id)
    except ValueError:
        return None
    if member:
        found = [m.person for m in team.current_memberships if str(m.person.public_id) == person_id]
        return found[0] if found else None
    return (
        selectors.team_candidates(viewer=request.user, team=team)
        .filter(public_id=person_id)
        .first()
    )


def _member_action(request, public_id, *, member: bool, action, success: str):
    team = _team_or_404(request, public_id)
    person = _posted_person(request, team, member=member)
    if person is None:
        messages.error(request, labelled(_("person"), _("Choose a person.")))
        return redirect("console:team_detail", public_id=team.public_id)
    try:
        action(team, person)
    except ValidationError as error:
        for line in error_lines(error, {"person": _("person"), "status": _("status")}):
            messages.error(request, line)
    else:
        messages.success(request, success % {"name": person.name})
    return redirect("console:team_detail", public_id=team.public_id)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def team_add_member(request, public_id):
    leader = request.POST.get("is_leader") == "1"
    return _member_action(
        request,
        public_id,
        member=False,
        action=lambda team, person: services.team_add_member(
            actor=request.user, team=team, person=person, is_leader=leader, request=request
        ),
        success=_("%(name)s joined the team."),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def team_remove_member(request, public_id):
    return _member_action(
        request,
        public_id,
        member=True,
        action=lambda team, person: services.team_remove_member(
            actor=request.user, team=team, person=person, request=request
        ),
        success=_("%(name)s left the team."),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def team_set_leader(request, public_id):
    leader = request.POST.get("is_leader", "1") == "1"
    return _member_action(
        request,
        public_id,
        member=True,
        action=lambda team, person: services.team_set_leader(
            actor=request.user, team=team, person=person, is_leader=leader, request=request
        ),
        success=_("%(name)s now leads the team.")
        if leader
        else _("%(name)s no longer leads the team."),
    )
