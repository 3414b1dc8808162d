"""The three lists' writes: who may write what, statuses with history, claims, the yearly cycle."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.audit.models import AuditEntry
from fumin.lists.models import Claim, Need, Project, Resource
from fumin.lists.services import (
    CeremonyClaim,
    ceremony_create,
    ceremony_record_claims,
    claim_create,
    claim_withdraw,
    match_accept,
    match_decline,
    milestone_add,
    milestone_set_done,
    need_create,
    need_raise,
    need_set_status,
    need_update,
    project_copy_forward,
    project_create,
    project_mark_adjusted,
    project_progress,
    project_set_status,
    project_start_from_need,
    resource_archive,
    resource_create,
)

from .helpers import category, make_claim, make_need, make_project, make_resource


def test_a_secretary_posts_a_need_in_her_community_only(world):
    need = make_need(world)
    assert need.status == Need.Status.OPEN
    assert "流浪" in need.terms.split()
    assert [e.to_status for e in need.events.all()] == ["open"]
    assert AuditEntry.objects.filter(target_type="lists.need", action="create").exists()
    with pytest.raises(PermissionDenied):
        need_create(
            actor=world.secretary_b,
            title="x",
            description="y",
            category=category("health"),
            area=world.community_a,
        )


def test_a_need_must_be_in_a_community_and_say_what_is_needed(world):
    with pytest.raises(ValidationError) as error:
        need_create(
            actor=world.officer,
            title="",
            description="",
            category=category("health"),
            area=world.grid_1,
        )
    assert "area" in error.value.message_dict


def test_a_resident_raises_a_need_for_their_own_community(world):
    need = need_raise(
        actor=world.member,
        title="楼道堆物",
        description="楼道堆物影响消防通道",
        category=category("public_order"),
    )
    assert (need.area, need.source, need.raised_by) == (world.community_a, "resident", world.member)
    with pytest.raises(ValidationError):
        need_raise(actor=world.outsider, title="x", description="y", category=category("other"))


def test_need_statuses_follow_the_allowed_path_and_keep_their_history(world):
    need = make_need(world)
    with pytest.raises(ValidationError) as error:
        need_set_status(actor=world.secretary_a, need=need, status="met")
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        need_set_status(actor=world.secretary_a, need=need, status="closed")
    assert "note" in error.value.message_dict
    need_set_status(actor=world.secretary_a, need=need, status="closed", note="已由物业解决")
    need.refresh_from_db()
    assert need.status == "closed"
    assert [(e.from_status, e.to_status) for e in need.events.all()] == [
        ("", "open"),
        ("open", "closed"),
    ]


def test_editing_a_need_reindexes_its_words(world):
    need = make_need(world)
    need_update(actor=world.secretary_a, need=need, description="垃圾分类宣传")
    need.refresh_from_db()
    assert "垃圾" in need.terms.split() and "流浪" in need.terms.split()


def test_resources_know_their_provider(world):
    resource = make_resource(world)
    assert (resource.provider, resource.area) == (Resource.Provider.UNIT, world.unit_a.area)
    assert set(resource.term_rows.values_list("term", flat=True)) >= {"绝育", "流浪"}
    with pytest.raises(ValidationError) as error:
        resource_create(
            actor=None, title="场地", kind="venue", category=category("other"), unit=world.unit_a,
            department="街道办",
        )  # fmt: skip
    assert "provider" in error.value.message_dict
    department = resource_create(
        actor=world.officer,
        title="法律顾问",
        kind="expertise",
        category=category("legal_aid"),
        department="街道司法所",
        area=world.subdistrict,
    )
    assert department.provider_name == "街道司法所"


def test_a_liaison_offers_resources_for_their_own_unit_only(world):
    resource_create(
        actor=world.liaison,
        title="会议室",
        kind="venue",
        category=category("other"),
        unit=world.unit_a,
    )
    with pytest.raises(PermissionDenied):
        resource_create(
            actor=world.liaison,
            title="会议室",
            kind="venue",
            category=category("other"),
            unit=world.unit_b,
        )
    with pytest.raises(PermissionDenied):
        resource_create(
            actor=world.secretary_a,
            title="法律顾问",
            kind="expertise",
            category=category("legal_aid"),
            department="街道司法所",
            area=world.subdistrict,
        )


def test_accepting_a_suggestion_matches_the_need_and_declining_is_remembered(world):
    need = make_need(world)
    first, second = make_resource(world), make_resource(world, title="领养日", unit=world.unit_b)
    match_decline(actor=world.secretary_a, need=need, resource=second, note="太远")
    need.refresh_from_db()
    assert need.status == "open"
    match = match_accept(actor=world.secretary_a, need=need, resource=first, score=0.8,
                         reasons=[{"kind": "category"}])  # fmt: skip
    need.refresh_from_db()
    assert need.status == "matched"
    assert (match.decision, match.unit) == ("accepted", world.unit_a)
    # Changing one's mind overwrites the decision on the same pair, never adds a second row.
    match_decline(actor=world.secretary_a, need=need, resource=first)
    assert need.matches.count() == 2
    with pytest.raises(PermissionDenied):
        match_accept(actor=world.secretary_b, need=need, resource=first)
    resource_archive(actor=None, resource=second)
    with pytest.raises(ValidationError):
        match_accept(actor=world.secretary_a, need=need, resource=second)


def test_starting_a_project_from_a_need_links_both(world):
    need, resource = make_need(world), make_resource(world)
    project = project_start_from_need(
        actor=world.secretary_a,
        need=need,
        resource=resource,
        name="宠爱YOU+",
        kind=Project.Kind.PUBLIC_WELFARE,
        year=2021,
    )
    need.refresh_from_db()
    assert need.status == "in_project"
    assert list(project.needs.all()) == [need]
    assert list(project.resources.all()) == [resource]
    assert need.matches.get().project == project
    assert (project.status, project.level, project.owner_area) == (
        "draft",
        "community",
        world.community_a,
    )


def test_only_subdistrict_staff_create_fumin_projects(world):
    fields = dict(name="红色定向赛", level="subdistrict", kind="culture", year=2021,
                  owner_area=world.subdistrict)  # fmt: skip
    project_create(actor=world.officer, **fields)
    with pytest.raises(PermissionDenied):
        project_create(actor=world.secretary_a, **fields)
    with pytest.raises(ValidationError) as error:
        project_create(actor=world.officer, **{**fields, "owner_area": world.community_a})
    assert "owner_area" in error.value.message_dict


def test_project_lifecycle_with_milestones_and_progress(world):
    need = make_need(world)
    project = make_project(world, publish=False, needs=[need])
    with pytest.raises(ValidationError):
        project_set_status(actor=world.secretary_a, project=project, status="completed")
    project_set_status(actor=world.secretary_a, project=project, status="published")
    first = milestone_add(actor=world.secretary_a, project=project, title="招募志愿者")
    milestone_add(actor=world.secretary_a, project=project, title="绝育手术")
    project.refresh_from_db()
    assert project_progress(project) == 0
    milestone_set_done(actor=world.secretary_a, milestone=first)
    project.refresh_from_db()
    assert project.status == "in_progress"
    assert project_progress(project) == 50
    project_set_status(actor=world.secretary_a, project=project, status="completed")
    with pytest.raises(ValidationError) as error:
        project_set_status(actor=world.secretary_a, project=project, status="evaluated")
    assert "evaluation" in error.value.message_dict
    project_set_status(
        actor=world.secretary_a, project=project, status="evaluated", evaluation="好"
    )
    project.refresh_from_db()
    assert project_progress(project) == 100
    assert [e.to_status for e in project.events.all()] == [
        "draft", "published", "in_progress", "completed", "evaluated",
    ]  # fmt: skip


def test_several_units_claim_one_project_each_once(world):
    project = make_project(world)
    first = make_claim(world, project=project)
    second = make_claim(world, project=project, unit=world.unit_b, mode=Claim.Mode.FUNDS)
    project.refresh_from_db()
    assert project.status == "claimed"
    assert first.certificate_number == "FM2021-0001"
    assert second.certificate_number == "FM2021-0002"
    with pytest.raises(ValidationError) as error:
        make_claim(world, project=project)
    assert "unit" in error.value.message_dict
    claim_withdraw(actor=world.liaison, claim=first, reason="人手不足")
    make_claim(world, project=project)  # after withdrawing, the unit may claim again


def test_a_draft_project_cannot_be_claimed_and_a_liaison_claims_only_for_their_unit(world):
    draft = make_project(world, publish=False)
    with pytest.raises(ValidationError):
        make_claim(world, project=draft)
    project = make_project(world, name="另一个项目")
    claim_create(actor=world.liaison, project=project, unit=world.unit_a, mode="volunteers",
                 plan="组织志愿者")  # fmt: skip
    with pytest.raises(PermissionDenied):
        claim_create(actor=world.liaison, project=project, unit=world.unit_b, mode="volunteers",
                     plan="组织志愿者")  # fmt: skip


def test_a_ceremony_records_every_claim_or_none_naming_each_wrong_line(world):
    ceremony = ceremony_create(actor=world.officer, title="2021年福民项目认领仪式",
                               held_on=__import__("datetime").date(2021, 3, 2),
                               area=world.subdistrict)  # fmt: skip
    one, two = make_project(world, name="项目一"), make_project(world, name="项目二")
    with pytest.raises(ValidationError) as error:
        ceremony_record_claims(actor=world.officer, ceremony=ceremony, lines=[
            CeremonyClaim(one, world.unit_a, "volunteers", "志愿服务"),
            CeremonyClaim(two, None, "funds", "资助"),
            CeremonyClaim(two, world.unit_b, "funds", ""),
        ])  # fmt: skip
    messages = error.value.messages
    assert (
        len(messages) == 2
        and messages[0].startswith("第 2 行")  # "Line 2: …", in Chinese by default
        and messages[1].startswith("第 3 行")
    )
    assert Claim.objects.count() == 0
    claims = ceremony_record_claims(actor=world.officer, ceremony=ceremony, lines=[
        CeremonyClaim(one, world.unit_a, "volunteers", "志愿服务"),
        CeremonyClaim(two, world.unit_b, "funds", "资助"),
    ])  # fmt: skip
    assert [c.claimed_on.isoformat() for c in claims] == ["2021-03-02", "2021-03-02"]


def test_the_yearly_cycle_copies_forward_once_and_marks_adjustments(world):
    project = make_project(world)
    milestone_add(actor=None, project=project, title="启动")
    copy = project_copy_forward(actor=world.secretary_a, project=project)
    assert (copy.year, copy.status, copy.copied_from) == (2022, "draft", project)
    assert [m.title for m in copy.milestones.all()] == ["启动"]
    with pytest.raises(ValidationError):
        project_copy_forward(actor=world.secretary_a, project=project)
    with pytest.raises(ValidationError):
        project_mark_adjusted(actor=world.secretary_a, project=copy, note=" ")
    project_mark_adjusted(actor=world.secretary_a, project=copy, note="增加领养日活动")
    copy.refresh_from_db()
    assert copy.adjusted and copy.adjustment_note == "增加领养日活动"
