import pytest
from django.core.exceptions import PermissionDenied

from conftest import PASSWORD
from fumin.accounts.services import password_reset_by_admin
from fumin.audit.models import AuditEntry
from fumin.notifications.models import Notification

CHANGE = "/accounts/password/"


def test_a_member_changes_their_password(client, world):
    client.force_login(world.member)
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2026",
            "new_password2": "Xin-mima-2026",
        },
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.check_password("Xin-mima-2026")
    assert AuditEntry.objects.filter(action="password_change", actor=world.member).exists()
    # The session survives the change.
    assert client.get("/portal/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "old_password": "wrong",
                "new_password1": "Xin-mima-2026",
                "new_password2": "Xin-mima-2026",
            },
            "old_password",
        ),
        (
            {
                "old_password": PASSWORD,
                "new_password1": "Xin-mima-2026",
                "new_password2": "Xin-mima-2027",
            },
            "new_password2",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
            "new_password1",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
            "new_password1",
        ),
    ],
)
def test_bad_password_changes_name_the_field_and_change_nothing(client, world, data, field):
    client.force_login(world.member)
    response = client.post(CHANGE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)


def test_an_administrator_reset_forces_a_new_password_at_next_login(
    client, world, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        temporary = password_reset_by_admin(actor=world.officer, user=world.member)
    assert len(temporary) == 10
    assert not set(temporary) & set("0O1lI")
    assert sms_outbox and sms_outbox[-1][0] == "13900000006"
    assert Notification.objects.filter(recipient=world.member).count() == 1
    assert AuditEntry.objects.filter(action="password_reset", actor=world.officer).exists()

    client.post("/accounts/login/", {"mobile": "13900000006", "password": temporary})
    # Every page leads to the password form until a new password is chosen.
    assert client.get("/portal/").url == CHANGE
    client.post(
        CHANGE,
        {
            "old_password": temporary,
            "new_password1": "Xin-mima-2026",
            "new_password2": "Xin-mima-2026",
        },
    )
    assert client.get("/portal/").status_code == 200


def test_only_managers_within_scope_may_reset(world):
    with pytest.raises(PermissionDenied):
        password_reset_by_admin(actor=world.secretary_a, user=world.member)  # no right
    with pytest.raises(PermissionDenied):
        password_reset_by_admin(actor=world.officer, user=world.outsider)  # not in any scope
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)


def test_the_reset_button_shows_the_temporary_password_once(client, world):
    client.force_login(world.officer)
    response = client.post(f"/console/users/{world.member.public_id}/reset-password/", follow=True)
    assert "临时密码" in response.content.decode()
    again = client.get(f"/console/users/{world.member.public_id}/")
    assert "临时密码" not in again.content.decode()
