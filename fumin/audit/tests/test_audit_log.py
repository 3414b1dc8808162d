import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fumin.activities.models import Attendance
from fumin.audit.models import AppendOnlyError, AuditEntry
from fumin.audit.selectors import audit_entry_list
from fumin.audit.services import audit_change, audit_entry, update_audited
from fumin.registry.services import unit_create


def test_a_change_records_who_what_and_before_after(world):
    entry = audit_change(
        actor=world.officer,
        action="update",
        target=world.unit_a,
        before={"address": ""},
        after={"address": "延安中路"},
    )
    assert entry.actor_name == "周晓岚"
    assert entry.target_type == "registry.unit"
    assert entry.target_repr == "上海市作家协会"
    assert entry.changes == {"before": {"address": ""}, "after": {"address": "延安中路"}}
    assert entry.scope_path == world.community_a.path


def test_creating_through_a_service_writes_the_audit_entry(world):
    unit = unit_create(
        actor=world.officer, name="兴业太古汇", kind="enterprise", area=world.community_c
    )
    entry = AuditEntry.objects.get(target_type="registry.unit", target_id=str(unit.pk))
    assert entry.action == "create" and entry.actor == world.officer


def test_the_log_refuses_updates_and_deletes_in_the_model(world):
    entry = audit_change(actor=world.officer, action="update", target=world.unit_a)
    entry.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_the_log(world):
    entry = audit_change(actor=world.officer, action="update", target=world.unit_a)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_staff_see_the_entries_of_their_own_subtree_only(world):
    audit_change(actor=world.officer, action="update", target=world.unit_a)
    audit_change(actor=world.officer, action="update", target=world.unit_b)
    outside = unit_create(actor=None, name="外区单位", kind="enterprise", area=world.district)
    audit_change(actor=world.admin, action="update", target=outside)
    officer_sees = {e.target_repr for e in audit_entry_list(viewer=world.officer)}
    assert {"上海市作家协会", "公惠医院"} <= officer_sees
    assert "外区单位" not in officer_sees
    assert "外区单位" in {e.target_repr for e in audit_entry_list(viewer=world.admin)}
    assert not audit_entry_list(viewer=world.secretary_a).exists()


def test_the_audit_page_searches_by_text_and_action(client, world):
    audit_change(actor=world.officer, action="update", target=world.unit_a)
    audit_change(actor=world.officer, action="archive", target=world.unit_b)
    client.force_login(world.officer)
    response = client.get("/console/audit/", {"q": "公惠", "action": "archive"})
    rows = response.context["entries"].object_list
    assert [e.target_repr for e in rows] == ["公惠医院"]


def test_the_audit_page_rejects_a_bad_date_and_names_it(client, world):
    client.force_login(world.officer)
    response = client.get("/console/audit/", {"date_from": "2026-13-45"})
    assert response.status_code == 400
    assert "date_from" in response.context["form"].errors


def test_unmasking_a_mobile_number_is_audited(client, world):
    client.force_login(world.secretary_a)
    page = client.get(f"/console/users/{world.member.public_id}/").content.decode()
    assert "139****0006" in page and "13900000006" not in page
    response = client.post(f"/console/users/{world.member.public_id}/unmask-mobile/")
    assert "13900000006" in response.content.decode()
    entry = AuditEntry.objects.get(action="view_unmasked")
    assert entry.actor == world.secretary_a and entry.target_repr == "吴志远"
    assert entry.note == "mobile"


def test_the_audit_page_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(30):
        audit_change(actor=world.officer, action="update", target=world.unit_a)
    client.force_login(world.officer)
    with django_assert_max_num_queries(10):
        client.get("/console/audit/")


def test_an_update_and_its_entry_are_written_together(world):
    from fumin.api.tests.test_activities_api import running, signed_up

    activity = running(world)
    attendance = Attendance.objects.get(activity=activity, person=signed_up(activity, world=world))
    attendance.status, attendance.checkin_method = "attended", "staff"
    attendance.checked_in_at, attendance.checked_in_by = timezone.now(), world.secretary_a
    entry = audit_entry(
        actor=world.secretary_a,
        action="update",
        target=attendance,
        after={"status": "attended"},
        note="签到",
        scope_path=world.community_a.path,
    )
    fields = ["status", "checkin_method", "checked_in_at", "checked_in_by"]
    with CaptureQueriesContext(connection) as captured:
        update_audited(attendance, fields, entry)
    # One statement on PostgreSQL; the two saves elsewhere.
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    attendance.refresh_from_db()
    assert (attendance.status, attendance.checked_in_by) == ("attended", world.secretary_a)
    saved = AuditEntry.objects.get(pk=entry.pk)
    assert entry.pk is not None and not entry._state.adding
    assert saved.at is not None and saved.actor == world.secretary_a and saved.note == "签到"
    assert saved.changes == {"after": {"status": "attended"}}
    assert saved.target_id == str(attendance.pk) and saved.scope_path == world.community_a.path
    with pytest.raises(AppendOnlyError):  # it is an ordinary entry, append-only like the others
        saved.save()


def test_the_single_statement_stores_what_save_would(world):
    """Nulls, booleans, times and foreign keys come back as ``save`` would have stored them, and
    the entry's JSON and IP address too; a second call reuses the statement."""
    from fumin.api.tests.test_activities_api import running, signed_up

    activity = running(world)
    attendances = [
        Attendance.objects.get(activity=activity, person=signed_up(activity, name, mobile, world))
        for name, mobile in (("李四", "13600000021"), ("王五", "13600000022"))
    ]
    fields = ["status", "checked_in_at", "walk_up", "geofence_passed", "checked_in_by"]
    for attendance, by in zip(attendances, (world.secretary_a, None), strict=True):
        attendance.status, attendance.checked_in_at = "attended", timezone.now()
        attendance.walk_up, attendance.geofence_passed, attendance.checked_in_by = True, None, by
        entry = audit_entry(
            actor=world.secretary_a,
            action="update",
            target=attendance,
            after={"status": "attended", "walk_up": True},
            note="check-in",
            scope_path=world.community_a.path,
        )
        entry.ip_address = "10.0.0.7"
        update_audited(attendance, fields, entry)
        stored = Attendance.objects.get(pk=attendance.pk)
        assert [getattr(stored, f) for f in fields] == [getattr(attendance, f) for f in fields]
        saved = AuditEntry.objects.get(pk=entry.pk)
        assert saved.changes == {"after": {"status": "attended", "walk_up": True}}
        assert (saved.ip_address, saved.target_id) == ("10.0.0.7", str(attendance.pk))


def test_an_expression_is_left_to_djangos_compiler(world):
    from django.db.models.functions import Now

    from fumin.api.tests.test_activities_api import running, signed_up

    activity = running(world)
    attendance = Attendance.objects.get(activity=activity, person=signed_up(activity, world=world))
    attendance.checked_in_at = Now()
    entry = audit_entry(actor=world.secretary_a, action="update", target=attendance)
    with CaptureQueriesContext(connection) as captured:
        update_audited(attendance, ["checked_in_at"], entry)
    assert len(captured) == 2  # the two saves: the statement only takes plain values
    attendance.refresh_from_db()
    assert attendance.checked_in_at is not None and AuditEntry.objects.filter(pk=entry.pk)


def test_a_model_with_its_own_save_is_saved_by_it(world):
    unit = world.unit_a
    unit.name = "上海市作家协会（巨鹿路）"
    entry = audit_entry(actor=world.officer, action="update", target=unit)
    with CaptureQueriesContext(connection) as captured:
        update_audited(unit, ["name"], entry)
    assert len(captured) == 2  # its save keeps the pinyin keys in step, on every database
    unit.refresh_from_db()
    assert unit.name_initials.startswith("shszjxh") and AuditEntry.objects.filter(pk=entry.pk)
