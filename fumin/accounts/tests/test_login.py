from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from fumin.accounts.models import LoginAttempt
from fumin.audit.models import AuditEntry

LOGIN = "/accounts/login/"


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(LOGIN)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in text and "手机号" in text and "密码" in text


def test_login_with_prefixed_mobile_lands_staff_on_the_console(client, world):
    response = client.post(LOGIN, {"mobile": "0086 139 0000 0003", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("console:home")
    assert AuditEntry.objects.filter(action="login", actor=world.secretary_a).exists()


def test_member_lands_on_the_portal(client, world):
    client.post(LOGIN, {"mobile": "13900000006", "password": PASSWORD})
    assert client.get("/").url == reverse("portal:home")


def test_login_follows_a_local_next_but_not_an_outside_one(client, world):
    response = client.post(
        LOGIN, {"mobile": "13900000003", "password": PASSWORD, "next": "/console/users/"}
    )
    assert response.url == "/console/users/"
    client.logout()
    response = client.post(
        LOGIN, {"mobile": "13900000003", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_a_malformed_mobile_is_named_as_the_field_in_error(client, world):
    response = client.post(LOGIN, {"mobile": "12345", "password": PASSWORD})
    assert response.status_code == 400
    assert response.context["form"].errors["mobile"]
    assert "手机号" in response.content.decode()


def test_a_wrong_password_gives_one_message_that_does_not_say_which_part_was_wrong(client, world):
    response = client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    assert response.status_code == 400
    assert "手机号或密码不正确" in response.content.decode()


def test_wrong_password_and_unknown_number_look_the_same(client, world):
    wrong = client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    unknown = client.post(LOGIN, {"mobile": "13911112222", "password": "wrong"})
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_five_failures_lock_the_number_even_against_the_right_password(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(4):
        client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    fifth = client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    assert "锁定" in fifth.content.decode()
    right = client.post(LOGIN, {"mobile": "13900000003", "password": PASSWORD})
    assert right.status_code == 400 and "锁定" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="locked_out").exists()
    # Another number is not affected.
    other = client.post(LOGIN, {"mobile": "13900000004", "password": PASSWORD})
    assert other.status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    old = LoginAttempt.objects.filter(mobile="13900000003")
    # Move the failures back in time past the window (the login attempts are not audit entries,
    # so this is allowed; the audit log itself could not be rewritten like this).
    for attempt in old:
        LoginAttempt.objects.filter(pk=attempt.pk).update(
            at=attempt.at - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
        )
    assert client.post(LOGIN, {"mobile": "13900000003", "password": PASSWORD}).status_code == 302


def test_old_attempts_are_pruned_and_those_the_lock_counts_stay(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ATTEMPT_KEEP_DAYS = 0  # a setting shorter than the window keeps the window
    for _ in range(3):
        client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    client.post(LOGIN, {"mobile": "13900000004", "password": "wrong"})

    def age(mobile, seconds):
        for attempt in LoginAttempt.objects.filter(mobile=mobile):
            LoginAttempt.objects.filter(pk=attempt.pk).update(
                at=attempt.at - timedelta(seconds=seconds)
            )

    age("13900000004", settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    out = StringIO()
    call_command("prune_login_attempts", stdout=out)
    assert out.getvalue().strip() == "1 login attempts deleted"
    assert not LoginAttempt.objects.filter(mobile="13900000004").exists()
    # The attempts inside the window stay, and so does the lock they make.
    assert LoginAttempt.objects.filter(mobile="13900000003").count() == 3
    locked = client.post(LOGIN, {"mobile": "13900000003", "password": PASSWORD})
    assert locked.status_code == 400 and "锁定" in locked.content.decode()
    # With the default, attempts are kept 180 days: a day older goes, a day younger stays.
    settings.LOGIN_ATTEMPT_KEEP_DAYS = 180
    age("13900000003", 179 * 86400)
    LoginAttempt.objects.create(mobile="13900000005", succeeded=False)
    age("13900000005", 181 * 86400)
    call_command("prune_login_attempts", stdout=StringIO())
    assert set(LoginAttempt.objects.values_list("mobile", flat=True)) == {"13900000003"}


def test_a_success_resets_the_failure_count(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    assert client.post(LOGIN, {"mobile": "13900000003", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(LOGIN, {"mobile": "13900000003", "password": "wrong"})
    assert client.post(LOGIN, {"mobile": "13900000003", "password": PASSWORD}).status_code == 302


def test_an_inactive_account_cannot_log_in(client, world):
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert client.post(LOGIN, {"mobile": "13900000006", "password": PASSWORD}).status_code == 400


def test_sessions_expire_after_the_idle_timeout_and_requests_extend_them(
    client, world, settings, monkeypatch
):
    """Requests push the expiry forward, saving the session at most once a minute: an idle
    session ends within a minute before the timeout, never after it."""
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_TOUCH_SECONDS == 60
    # Database sessions, to read the expiry back (with REDIS_URL the suite runs on cache sessions;
    # the middleware under test is the same for both).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    start = timezone.now()
    clock = [start]
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])
    client.force_login(world.secretary_a)
    key = client.cookies["sessionid"].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    assert client.get("/console/").status_code == 200
    first = expiry()
    assert first == start + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    clock[0] = start + timedelta(seconds=30)  # within the minute: no write
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/console/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert expiry() == first
    clock[0] = start + timedelta(seconds=90)  # a minute later: the expiry moves
    assert client.get("/console/").status_code == 200
    assert expiry() == clock[0] + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # Idle for the timeout since that request: logged out.
    clock[0] += timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    assert client.get("/console/").status_code == 302


@pytest.mark.parametrize("method", ["get"])
def test_logout_needs_a_post(client, world, method):
    client.force_login(world.member)
    assert getattr(client, method)("/accounts/logout/").status_code == 405
