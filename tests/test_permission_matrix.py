"""Every URL of the project, requested by every persona, answers with the status the matrix says.

The matrix is the project's access policy in one table. A URL added without a row here makes
``test_every_url_is_in_the_matrix`` fail, so no page can slip in unguarded.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fumin.activities.tests import helpers as activities
from fumin.api.tests import test_activities_api as activities_api
from fumin.council.tests import helpers as council
from fumin.notifications.services import notify
from fumin.registry.models import PartyOrg, Unit
from tests.matrix import (
    activities_more,
    dashboard,
    kpis_api,
    lists_api,
    lists_console,
    lists_portal,
)
from tests.matrix.common import Row, pid, row

PERSONAS = [
    "anonymous",
    "admin",
    "officer",
    "coordinator",
    "secretary_a",
    "secretary_b",
    "liaison",
    "member",
    "outsider",
]


def member_id(world):
    return {"public_id": world.member.public_id}


def fresh_member_id(world):
    """A new member of community A for each request, so one reset does not affect the next."""
    from conftest import make_user
    from fumin.accounts.models import Role

    count = world.community_a.__dict__.setdefault("_fresh", [0])
    count[0] += 1
    user = make_user("新党员", f"1370000{count[0]:04d}", Role.MEMBER, area=world.community_a)
    return {"public_id": user.public_id}


def fresh_unit_id(world):
    """A new unit in community A per request: archiving one must not change the next request."""
    from fumin.registry.services import unit_create

    unit = unit_create(
        actor=None,
        name=f"临时单位{Unit.objects.count()}",
        kind="enterprise",
        area=world.community_a,
    )
    return {"public_id": unit.public_id}


def fresh_party_org_id(world):
    from fumin.registry.services import party_org_create

    org = party_org_create(
        actor=None,
        name=f"临时支部{PartyOrg.objects.count()}",
        kind="branch",
        community=world.community_a,
    )
    return {"public_id": org.public_id}


def fresh_person_id(world):
    from fumin.registry.services import person_create

    person = person_create(actor=None, name="临时居民", home_community=world.community_a)
    return {"public_id": person.public_id}


def council_ref(world):
    return {"council_id": council.make_council(world).council.public_id}


def fresh_motion_ref(world):
    return {"motion_id": council.fresh_draft_motion_id(world)["public_id"]}


def new_motion_body(world):
    unit = council.new_unit(world, "新增单位")
    item = {
        "action": "add",
        "role": "member_unit",
        "unit_id": str(unit.public_id),
        "term_start": "2021-01-01",
    }
    return {"title": "增补名单", "items": [item]}


def held_meeting_body(world):
    return {"meeting_id": str(council.make_council(world).meeting.public_id)}


def member_registration(world):
    """A pending registration of a member of community A (made once per world)."""
    from fumin.registration.services import member_register

    cached = world.__dict__.get("_member_registration")
    if cached is None:
        cached, _ = member_register(
            actor=None,
            channel="community",
            name="报到党员",
            mobile="13500000001",
            community=world.community_a,
            work_unit=world.unit_a,
        )
        world.__dict__["_member_registration"] = cached
    return cached


def fresh_member_registration(world):
    from fumin.registration.services import member_register

    count = world.__dict__.setdefault("_fresh_registrations", [0])
    count[0] += 1
    registration, _ = member_register(
        actor=None,
        channel="community",
        name="新党员",
        mobile=f"1350001{count[0]:04d}",
        community=world.community_a,
    )
    return {"kind": "member", "public_id": registration.public_id}


def org_registration(world):
    from fumin.registration.services import org_registration_submit

    cached = world.__dict__.get("_org_registration")
    if cached is None:
        ((cached, _),) = org_registration_submit(
            actor=None,
            party_org=world.party_org_a,
            communities=[world.community_a],
            contact_name="顾文静",
            contact_phone="13800000005",
        )
        world.__dict__["_org_registration"] = cached
    return cached


def member_reg_ref(world):
    return {"kind": "member", "public_id": member_registration(world).public_id}


def proposal_ref(world):
    from fumin.registration.services import unit_propose

    proposal = unit_propose(
        actor=world.liaison,
        name=f"新单位{Unit.objects.count()}",
        kind="new_social",
        area=world.community_a,
        party_org_name="新支部",
        party_org_kind="branch",
        communities=[world.community_a],
        contact_name="李明",
        contact_phone="13600000001",
    )
    return {"public_id": proposal.public_id}


def api_fresh_registration(world):
    return {"kind": "members", "registration_id": fresh_member_registration(world)["public_id"]}


def fresh_member_body(world):
    count = world.__dict__.setdefault("_fresh_api_members", [0])
    count[0] += 1
    return {
        "name": "新党员",
        "mobile": f"1340000{count[0]:04d}",
        "community_id": str(world.community_a.public_id),
    }


def notification_of_member(world):
    note = notify(recipient=world.member, title="你好")
    return {"notification_id": note.pk}


def import_job_of_secretary_a(world):
    """A finished import job of secretary A's: only its uploader may open it."""
    from fumin.transfer.models import ImportJob

    job = ImportJob.objects.create(kind="people", created_by=world.secretary_a, status="done")
    return {"public_id": job.public_id}


def service_report_id(world):
    """A member report of a member of community A working at unit A (the liaison's unit)."""
    from fumin.registration.periods import period_containing
    from fumin.registration.report_models import ServiceReport
    from fumin.registration.reporting import service_reports_generate
    from fumin.registration.services import member_register, registration_confirm

    registration, _created = member_register(
        actor=None,
        channel="community",
        name="报告党员",
        mobile="13600000099",
        community=world.community_a,
        work_unit=world.unit_a,
    )
    if registration.status == "pending":
        registration_confirm(actor=None, registration=registration)
    period = period_containing(registration.created_at, "half_year")
    service_reports_generate(
        actor=None, kind="member", period_start=period.start, period_end=period.end
    )
    return {"public_id": ServiceReport.objects.get(person=registration.person).public_id}


def _activity(world, *, publish=True, started=True):
    """An activity of community A made through the services; it started half an hour ago."""
    import datetime

    from django.utils import timezone

    from fumin.activities.services import activity_create, activity_publish

    count = world.__dict__.setdefault("_activities", [0])
    count[0] += 1
    start = timezone.now() + datetime.timedelta(minutes=-30 if started else 60 * 24)
    activity = activity_create(
        actor=None,
        title=f"矩阵活动{count[0]}",
        kind="volunteer",
        community=world.community_a,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    return activity_publish(actor=None, activity=activity) if publish else activity


def activity_ref(world):
    """One published activity of community A per world, for the pages that only read."""
    cached = world.__dict__.get("_activity")
    if cached is None:
        cached = world.__dict__["_activity"] = _activity(world)
    return {"public_id": cached.public_id}


def fresh_activity_ref(world):
    return {"public_id": _activity(world).public_id}


def fresh_draft_activity_ref(world):
    return {"public_id": _activity(world, publish=False, started=False).public_id}


#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    "home":                          row("302 302 302 302 302 302 302 302 302"),
    "healthz":                       row("200 200 200 200 200 200 200 200 200"),
    "set_language":                  row("302 302 302 302 302 302 302 302 302", method="post",
                                         data={"language": "en", "next": "/"}),
    "accounts:login":                row("200 302 302 302 302 302 302 302 302"),
    "accounts:logout":               row("302 302 302 302 302 302 302 302 302", method="post"),
    "accounts:password_change":      row("302 200 200 200 200 200 200 200 200"),
    "console:home":                  row("302 200 200 200 200 200 200 403 403"),
    "console:area_index":            row("302 200 200 200 200 200 403 403 403"),
    "console:area_detail":           row("302 200 200 200 200 404 403 403 403",
                                         kwargs=lambda w: {"public_id": w.community_a.public_id}),
    "console:user_index":            row("302 200 200 200 200 200 200 403 403"),
    "console:user_create":           row("302 200 200 403 403 403 403 403 403"),
    "console:user_detail":           row("302 200 200 200 200 404 404 403 403", kwargs=member_id),
    "console:user_reset_password":   row("302 302 302 403 403 403 403 403 403", method="post",
                                         kwargs=fresh_member_id),
    "console:user_unmask_mobile":    row("302 200 200 200 200 404 403 403 403", method="post",
                                         kwargs=member_id),
    "console:audit_index":           row("302 200 200 403 403 403 403 403 403"),
    "portal:home":                   row("302 200 200 200 200 200 200 200 200"),
    "notifications:inbox":           row("302 200 200 200 200 200 200 200 200"),
    "notifications:open":            row("302 404 404 404 404 404 404 302 404", method="post",
                                         kwargs=notification_of_member),
    "notifications:read_all":        row("302 302 302 302 302 302 302 302 302", method="post"),
    "api:api-root":                  row("404 404 404 404 404 404 404 404 404"),
    "api:openapi-json":              row("200 200 200 200 200 200 200 200 200"),
    "api:openapi-view":              row("200 200 200 200 200 200 200 200 200"),
    "api:me":                        row("401 200 200 200 200 200 200 200 200"),
    "api:areas":                     row("401 200 200 200 200 200 200 200 200"),
    "api:area":                      row("401 200 200 200 200 404 404 404 404",
                                         kwargs=lambda w: {"area_id": w.community_a.public_id}),
    # --- registry pages and API ---
    "console:unit_index":            row("302 200 200 200 200 200 200 403 403"),
    "console:unit_options":          row("302 200 200 200 200 200 200 403 403",
                                         data={"q": "zuojia"}),
    "console:community_options":     row("302 200 200 200 200 200 200 403 403",
                                         data={"q": "huaye"}),
    "console:unit_create":           row("302 200 200 200 200 200 403 403 403"),
    "console:unit_detail":           row("302 200 200 200 200 404 200 403 403",
                                         kwargs=pid("unit_a")),
    "console:unit_edit":             row("302 200 200 200 200 404 403 403 403",
                                         kwargs=pid("unit_a")),
    "console:unit_archive":          row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_unit_id),
    "console:party_org_index":       row("302 200 200 200 200 200 200 403 403"),
    "console:party_org_options":     row("302 200 200 200 200 200 200 403 403",
                                         data={"q": "作家"}),
    "console:party_org_create":      row("302 200 200 200 200 200 403 403 403"),
    "console:party_org_detail":      row("302 200 200 200 200 404 200 403 403",
                                         kwargs=pid("party_org_a")),
    "console:party_org_edit":        row("302 200 200 200 200 404 403 403 403",
                                         kwargs=pid("party_org_a")),
    "console:party_org_archive":     row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_party_org_id),
    "console:person_index":          row("302 200 200 200 200 200 200 403 403"),
    "console:person_create":         row("302 200 200 200 200 200 403 403 403"),
    "console:person_options":        row("302 200 200 200 200 200 200 403 403", data={"q": "jin"}),
    "console:person_detail":         row("302 200 200 200 200 404 404 403 403",
                                         kwargs=pid("person_a")),
    "console:person_edit":           row("302 200 200 200 200 404 403 403 403",
                                         kwargs=pid("person_a")),
    "console:person_archive":        row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_person_id),
    "console:person_reveal":         row("302 200 200 200 200 404 403 403 403", method="post",
                                         kwargs=lambda w: {"public_id": w.person_a.public_id,
                                                           "field": "id_number"}),
    "console:place_index":           row("302 200 200 200 200 200 403 403 403"),
    "console:place_create":          row("302 200 200 200 200 200 403 403 403"),
    "console:place_detail":          row("302 200 200 200 200 404 403 403 403",
                                         kwargs=pid("place_a")),
    "console:place_edit":            row("302 200 200 200 200 404 403 403 403",
                                         kwargs=pid("place_a")),
    "console:alliance_edit":         row("302 200 200 404 404 404 403 403 403",
                                         kwargs=pid("alliance")),
    "console:joint_meeting_edit":    row("302 200 200 200 404 404 403 403 403",
                                         kwargs=pid("joint_meeting")),
    "console:alliance_index":        row("302 200 200 200 200 200 403 403 403"),
    "console:alliance_create":       row("302 200 200 200 200 200 403 403 403"),
    "console:alliance_detail":       row("302 200 200 404 404 404 403 403 403",
                                         kwargs=pid("alliance")),
    "console:alliance_add_member":   row("302 302 302 404 404 404 403 403 403", method="post",
                                         kwargs=pid("alliance")),
    "console:alliance_remove_member": row("302 302 302 404 404 404 403 403 403", method="post",
                                          kwargs=pid("alliance")),
    "console:joint_meeting_index":   row("302 200 200 200 200 200 403 403 403"),
    "console:joint_meeting_create":  row("302 200 200 200 200 200 403 403 403"),
    "console:joint_meeting_detail":  row("302 200 200 200 404 404 403 403 403",
                                         kwargs=pid("joint_meeting")),
    "console:joint_meeting_add_member": row("302 302 302 302 404 404 403 403 403", method="post",
                                            kwargs=pid("joint_meeting")),
    "console:joint_meeting_remove_member": row("302 302 302 302 404 404 403 403 403",
                                               method="post", kwargs=pid("joint_meeting")),
    "api:units":                     row("401 200 200 200 200 200 200 200 200"),
    "api:unit":                      row("401 200 200 200 200 404 200 404 404",
                                         kwargs=lambda w: {"unit_id": w.unit_a.public_id}),
    "api:party_orgs":                row("401 200 200 200 200 200 200 200 200"),
    "api:party_org":                 row("401 200 200 200 200 404 200 404 404",
                                         kwargs=lambda w: {"org_id": w.party_org_a.public_id}),
    "api:people":                    row("401 200 200 200 200 200 200 200 200"),
    "api:person":                    row("401 200 200 200 200 404 404 404 404",
                                         kwargs=lambda w: {"person_id": w.person_a.public_id}),
    "api:unit_create":               row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新单位", "kind": "enterprise",
                                                         "area_id": str(w.community_a.public_id)}),
    "api:unit_update":               row("401 200 200 200 200 404 403 404 404", method="patch",
                                         kwargs=lambda w: {"unit_id": w.unit_a.public_id}),
    "api:party_org_create":          row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新支部", "kind": "branch",
                                                         "community_id":
                                                             str(w.community_a.public_id)}),
    "api:person_create":             row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新居民", "home_community_id":
                                                         str(w.community_a.public_id)}),
    "api:person_update":             row("401 200 200 200 200 404 404 404 404", method="patch",
                                         kwargs=lambda w: {"person_id": w.person_a.public_id}),
    "api:places":                    row("401 200 200 200 200 200 200 200 200"),
    "api:alliances":                 row("401 200 200 200 200 200 200 200 200"),
    "api:joint_meetings":            row("401 200 200 200 200 200 200 200 200"),
    "api:place_create":              row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新楼宇", "kind": "block",
                                                         "area_id": str(w.community_a.public_id)}),
    "api:alliance_create":           row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新联盟", "kind": "culture",
                                                         "area_id": str(w.community_a.public_id)}),
    "api:alliance_member_add":       row("401 200 200 404 404 404 404 404 404", method="post",
                                         kwargs=lambda w: {"alliance_id": w.alliance.public_id},
                                         json=lambda w: {"unit_id": str(w.unit_b.public_id)}),
    "api:alliance_member_remove":    row("401 200 200 404 404 404 404 404 404", method="delete",
                                         kwargs=lambda w: {"alliance_id": w.alliance.public_id,
                                                           "unit_id": w.unit_a.public_id}),
    "api:joint_meeting_create":      row("401 201 201 201 400 400 400 400 400", method="post",
                                         json=lambda w: {"name": "新联席会议", "level": "grid",
                                                         "area_id": str(w.grid_1.public_id)}),
    "api:joint_meeting_member_add":  row("401 200 200 200 404 404 404 404 404", method="post",
                                         kwargs=lambda w: {"meeting_id": w.joint_meeting.public_id},
                                         json=lambda w: {"unit_id": str(w.unit_a.public_id)}),
    "api:joint_meeting_member_remove": row("401 200 200 200 404 404 404 404 404", method="delete",
                                           kwargs=lambda w: {"meeting_id":
                                                             w.joint_meeting.public_id,
                                                             "unit_id": w.unit_b.public_id}),
    # --- dual registration ---
    "console:registration_index":    row("302 200 200 200 200 200 200 403 403"),
    "console:member_registration_create": row("302 200 200 200 200 200 403 403 403"),
    "console:org_registration_create": row("302 200 200 200 200 200 200 403 403"),
    "console:unit_proposal_index":   row("302 200 200 403 403 403 403 403 403"),
    "console:unit_proposal_create":  row("302 200 200 200 200 200 200 403 403"),
    "console:unit_proposal_decide":  row("302 302 302 403 403 403 403 403 403", method="post",
                                         kwargs=proposal_ref, data={"approve": "1"}),
    "console:registration_detail":   row("302 200 200 200 200 404 200 403 403",
                                         kwargs=member_reg_ref),
    "console:registration_confirm":  row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_member_registration),
    "console:registration_reject":   row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_member_registration,
                                         data={"reason": "不在本居民区居住"}),
    "console:registration_reconfirm": row("302 302 302 302 302 404 403 403 403", method="post",
                                          kwargs=fresh_member_registration),
    "console:registration_end":      row("302 302 302 302 302 404 404 403 403", method="post",
                                         kwargs=fresh_member_registration),
    "console:registration_move":     row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=lambda w: {"public_id": fresh_member_registration(
                                             w)["public_id"]},
                                         data={"community": "0"}),
    "console:agreement_add":         row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=lambda w: {"public_id":
                                                           org_registration(w).public_id}),
    "api:my_registration":           row("401 404 404 404 404 404 404 404 404"),
    "api:member_registrations":      row("401 200 200 200 200 200 200 200 200"),
    "api:member_register":           row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=fresh_member_body),
    "api:org_registrations":         row("401 200 200 200 200 200 200 200 200"),
    "api:org_register":              row("401 201 201 201 201 400 201 400 400", method="post",
                                         json=lambda w: {
                                             "party_org_id": str(w.party_org_a.public_id),
                                             "community_ids": [str(w.community_a.public_id)],
                                             "contact_name": "顾文静",
                                             "contact_phone": "13800000005"}),
    "api:registration":              row("401 200 200 200 200 404 200 404 404",
                                         kwargs=lambda w: {"kind": "members", "registration_id":
                                                           member_registration(w).public_id}),
    "api:registration_confirm":      row("401 200 200 200 200 404 404 404 404", method="post",
                                         kwargs=api_fresh_registration),
    "api:registration_reject":       row("401 200 200 200 200 404 404 404 404", method="post",
                                         kwargs=api_fresh_registration,
                                         json=lambda w: {"reason": "不在本居民区居住"}),
    "api:registration_reconfirm":    row("401 400 400 400 400 404 404 404 404", method="post",
                                         kwargs=api_fresh_registration),
    "api:registration_end":          row("401 200 200 200 200 404 404 404 404", method="post",
                                         kwargs=api_fresh_registration, json=lambda w: {}),
    "api:registration_move":         row("401 200 200 200 200 404 404 404 404", method="post",
                                         kwargs=lambda w: {"registration_id":
                                                           api_fresh_registration(w)[
                                                               "registration_id"]},
                                         json=lambda w: {"community_id":
                                                         str(w.community_b.public_id)}),
    "api:agreement_add":             row("401 400 400 400 400 404 403 404 404", method="post",
                                         kwargs=lambda w: {"registration_id":
                                                           org_registration(w).public_id},
                                         json=lambda w: {"title": "共建协议",
                                                         "signed_on": "2021-01-01",
                                                         "term_start": "2021-01-01",
                                                         "term_end": "2022-12-31"}),
    "api:figures":                   row("401 200 200 200 200 200 403 403 403",
                                         data={"start": "2020-08-01", "end": "2020-12-31"}),
    "portal:registration":           row("302 200 200 200 200 200 200 200 200"),
    "portal:unit_options":           row("302 200 200 200 200 200 200 200 200",
                                         data={"q": "zuojia"}),
    "portal:party_org_options":      row("302 200 200 200 200 200 200 200 200",
                                         data={"q": "作家"}),
    "portal:community_options":      row("302 200 200 200 200 200 200 200 200",
                                         data={"q": "huaye"}),
    "portal:registration_move":      row("302 302 302 302 302 302 302 302 302", method="post"),
    "portal:registration_end":       row("302 302 302 302 302 302 302 302 302", method="post"),
    # --- service reports ---
    "console:report_index":          row("302 200 200 200 200 200 200 403 403"),
    "console:report_generate":       row("302 302 302 403 403 403 403 403 403", method="post"),
    "console:report_not_served":     row("302 200 200 200 200 200 403 403 403"),
    "console:report_unit_members":   row("302 200 200 200 200 200 200 403 403"),
    "console:report_detail":         row("302 200 200 200 200 404 200 403 403",
                                         kwargs=service_report_id),
    "console:report_docx":           row("302 200 200 200 200 404 200 403 403",
                                         kwargs=service_report_id),
    "console:report_xlsx":           row("302 200 200 200 200 404 200 403 403",
                                         kwargs=service_report_id),
    # --- activities: console ---
    "console:activity_index":        row("302 200 200 200 200 200 403 403 403"),
    "console:activity_calendar":     row("302 200 200 200 200 200 403 403 403"),
    "console:activity_create":       row("302 200 200 200 200 200 403 403 403"),
    "console:activity_detail":       row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref),
    "console:activity_edit":         row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref),
    "console:activity_publish":      row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_draft_activity_ref),
    "console:activity_mark_held":    row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_activity_ref),
    "console:activity_close":        row("302 302 302 302 302 404 403 403 403", method="post",
                                         kwargs=fresh_activity_ref, data={"beneficiaries": "5"}),
    # Posted empty: a manager is told to choose a person (400), nobody else gets in.
    "console:activity_check_in":     row("302 400 400 400 400 404 403 403 403", method="post",
                                         kwargs=activity_ref),
    "console:activity_check_out":    row("302 400 400 400 400 404 403 403 403", method="post",
                                         kwargs=activity_ref),
    "console:activity_hours_correct": row("302 400 400 400 400 404 403 403 403", method="post",
                                          kwargs=activity_ref),
    "console:activity_export":       row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref),
    "console:activity_desk":         row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref),
    "console:activity_desk_count":   row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref),
    "console:activity_desk_search":  row("302 200 200 200 200 404 403 403 403",
                                         kwargs=activity_ref, data={"q": "wang"}),
    # --- activities: portal and feeds ---
    "portal:activity_list":          row("302 200 200 200 200 200 200 200 200"),
    "portal:activity_detail":        row("302 200 200 200 200 200 200 200 200",
                                         kwargs=activities.upcoming_activity_id),
    # Sign-up, cancel and check-out answer with a message and go back to the activity.
    "portal:activity_signup":        row("302 302 302 302 302 302 302 302 302", method="post",
                                         kwargs=activities.upcoming_activity_id),
    "portal:activity_cancel":        row("302 302 302 302 302 302 302 302 302", method="post",
                                         kwargs=activities.upcoming_activity_id),
    "portal:activity_checkout":      row("302 302 302 302 302 302 302 302 302", method="post",
                                         kwargs=activities.upcoming_activity_id),
    "portal:activity_checkin":       row("302 200 200 200 200 200 200 200 200"),
    # Nobody here signed up for the activity: the tap (POST) is refused with its reason (400).
    "portal:activity_checkin_code":  row("302 400 400 400 400 400 400 400 400", method="post",
                                         kwargs=activities.ongoing_activity_code),
    "portal:my_activities":          row("302 200 200 200 200 200 200 200 200"),
    # Only an account linked to a person has a service record.
    "portal:service_record":         row("302 404 404 404 404 404 404 200 404",
                                         kwargs=activities.member_with_person),
    "activity_feed":                 row("200 200 200 200 200 200 200 200 200",
                                         kwargs=lambda w: {"public_id": w.community_a.public_id}),
    # --- activities: API ---
    "api:activities":                row("401 200 200 200 200 200 200 200 200"),
    "api:activity":                  row("401 200 200 200 200 200 200 200 200",
                                         kwargs=activities_api.matrix_ref),
    "api:activity_create":           row("401 201 201 201 201 400 400 400 400", method="post",
                                         json=activities_api.matrix_new_activity),
    "api:activity_update":           row("401 200 200 200 200 403 403 403 403", method="patch",
                                         kwargs=activities_api.matrix_ref,
                                         json=lambda w: {"place": "党群服务站"}),
    "api:activity_publish":          row("401 200 200 200 200 404 404 404 404", method="post",
                                         kwargs=activities_api.matrix_draft_ref),
    "api:activity_held":             row("401 200 200 200 200 403 403 403 403", method="post",
                                         kwargs=activities_api.matrix_ref),
    "api:activity_close":            row("401 200 200 200 200 403 403 403 403", method="post",
                                         kwargs=activities_api.matrix_ref,
                                         json=lambda w: {"beneficiaries": 12}),
    # Only the member has a person linked to their account: everybody else is told so (400).
    "api:activity_signup":           row("401 400 400 400 400 400 400 200 400", method="post",
                                         kwargs=activities_api.matrix_upcoming_ref),
    "api:activity_signup_cancel":    row("401 400 400 400 400 400 400 200 400", method="post",
                                         kwargs=activities_api.matrix_upcoming_ref),
    "api:activity_attendances":      row("401 200 200 200 200 403 403 403 403",
                                         kwargs=activities_api.matrix_ref),
    "api:activity_checkin":          row("401 201 201 201 201 403 403 403 403", method="post",
                                         kwargs=activities_api.matrix_ref,
                                         json=activities_api.matrix_checkin_body),
    "api:activity_checkout":         row("401 200 200 200 200 403 403 403 403", method="post",
                                         kwargs=activities_api.matrix_ref,
                                         json=activities_api.matrix_checkout_body),
    "api:hours_correction":          row("401 201 201 201 201 403 403 403 403", method="post",
                                         kwargs=activities_api.matrix_correction_ref,
                                         json=lambda w: {"delta": "1", "reason": "补录布置时间"}),
    "api:my_attendances":            row("401 200 200 200 200 200 200 200 200"),
    "api:my_points":                 row("401 200 200 200 200 200 200 200 200"),
    # --- Excel import and export ---
    "console:import_start":          row("302 200 200 200 200 200 200 403 403"),
    # A liaison may import members' registrations, so sees their own jobs: not secretary A's.
    "console:import_job":            row("302 404 404 404 200 404 404 403 403",
                                         kwargs=import_job_of_secretary_a),
    "console:import_template":       row("302 200 200 200 200 200 403 403 403",
                                         kwargs=lambda w: {"kind": "people"}),
    "console:export_download":       row("302 200 200 200 200 200 200 403 403",
                                         kwargs=lambda w: {"kind": "people"}),
    # --- council ---
    "api:councils":                  row("401 200 200 200 200 200 200 200 200"),
    "api:council_seats":             row("401 200 200 200 200 200 200 404 404", kwargs=council_ref),
    "api:council_meetings":          row("401 200 200 200 200 200 200 404 404", kwargs=council_ref),
    "api:council_motions":           row("401 200 200 200 200 200 200 404 404", kwargs=council_ref),
    "api:council_motion_create":     row("401 201 201 403 403 403 403 404 404", method="post",
                                         kwargs=council_ref, json=new_motion_body),
    "api:council_motion_approve":    row("401 200 200 403 403 403 403 404 404", method="post",
                                         kwargs=fresh_motion_ref, json=held_meeting_body),
    "api:council_motion_reject":     row("401 200 200 403 403 403 403 404 404", method="post",
                                         kwargs=fresh_motion_ref, json=lambda w: {}),
    "console:council_index":         row("302 200 200 200 200 200 200 403 403"),
    "console:council_create":        row("302 200 200 403 403 403 403 403 403"),
    "console:council_detail":        row("302 200 200 200 200 200 200 403 403",
                                         kwargs=council.council_id),
    "console:council_meeting_index": row("302 200 200 200 200 200 200 403 403",
                                         kwargs=council.council_id),
    "console:council_motion_create": row("302 200 200 403 403 403 403 403 403",
                                         kwargs=council.council_id),
    "console:council_motion_detail": row("302 200 200 200 200 200 200 403 403",
                                         kwargs=council.founding_motion_id),
    # Posted empty: a manager gets the form back naming the fields (400), nobody else gets in.
    "console:council_motion_add_item": row("302 400 400 403 403 403 403 403 403", method="post",
                                           kwargs=council.draft_motion_id),
    "console:council_motion_approve": row("302 400 400 403 403 403 403 403 403", method="post",
                                          kwargs=council.draft_motion_id),
    "console:council_motion_reject": row("302 302 302 403 403 403 403 403 403", method="post",
                                         kwargs=council.fresh_draft_motion_id),
    "console:council_seat_certificate": row("302 200 200 200 200 200 200 403 403",
                                            kwargs=council.seat_id),
}  # fmt: skip
# Parts of the matrix kept beside it, one module per area of the platform.
MATRIX |= activities_more.MATRIX
MATRIX |= lists_console.MATRIX
MATRIX |= lists_api.MATRIX
MATRIX |= lists_portal.MATRIX
MATRIX |= kpis_api.MATRIX
MATRIX |= dashboard.MATRIX


def discover_url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = ":".join(part for part in (namespace, inner) if part)
            names |= discover_url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    discovered = discover_url_names()
    missing = discovered - set(MATRIX)
    stale = set(MATRIX) - discovered
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"
    assert not stale, f"Matrix rows for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_url_answers_each_persona_as_the_matrix_says(url_name, world, client):
    entry = MATRIX[url_name]
    assert len(entry.statuses) == len(PERSONAS)
    failures = []
    for persona, expected in zip(PERSONAS, entry.statuses, strict=True):
        client.logout()
        user = world.persona(persona)
        if user is not None:
            client.force_login(user)
        url = reverse(url_name, kwargs=entry.kwargs(world) if entry.kwargs else None)
        if entry.json:
            response = getattr(client, entry.method)(
                url, data=json.dumps(entry.json(world)), content_type="application/json"
            )
        else:
            response = getattr(client, entry.method)(url, data=entry.data or {})
        if response.status_code != expected:
            failures.append(f"{persona}: expected {expected}, got {response.status_code}")
    assert not failures, f"{url_name}: " + "; ".join(failures)
