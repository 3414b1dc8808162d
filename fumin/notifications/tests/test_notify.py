import pytest
from django.core import mail
from django.db import transaction

from fumin.notifications.models import Delivery, Notification
from fumin.notifications.services import notify


def test_a_notification_lands_in_the_inbox_and_goes_out_after_commit(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    world.member.email = "wzy@example.org"
    world.member.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipient=world.member, title="活动提醒", body="明天上午九点", channels=["sms", "email"]
        )
    assert Notification.objects.filter(recipient=world.member, title="活动提醒").exists()
    assert sms_outbox == [] and mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sms_outbox == [("13900000006", "【福民】活动提醒 明天上午九点")]
    assert mail.outbox[0].to == ["wzy@example.org"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_nothing_is_sent_when_the_transaction_rolls_back(world, sms_outbox, transactional_db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify(recipient=world.member, title="不会发出", channels=["sms"])
        raise Boom
    assert sms_outbox == []
    assert not Notification.objects.filter(title="不会发出").exists()


def test_a_recipient_without_email_is_skipped_not_failed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=world.member, title="提醒", channels=["email"])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.detail) == ("skipped", "no email address")


def test_a_failing_channel_is_recorded_not_lost(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "fumin.notifications.tests.test_notify.BrokenSms"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=world.member, title="提醒", channels=["sms"])
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "gateway down" in delivery.detail
    assert Notification.objects.filter(title="提醒").exists()


class BrokenSms:
    def send(self, mobile, text):
        raise ConnectionError("gateway down")


def test_an_unknown_channel_is_refused(world):
    with pytest.raises(ValueError, match="pigeon"):
        notify(recipient=world.member, title="x", channels=["pigeon"])


def test_people_read_only_their_own_inbox(client, world):
    mine = notify(recipient=world.member, title="给吴志远")
    notify(recipient=world.secretary_a, title="给沈美华")
    client.force_login(world.member)
    page = client.get("/inbox/").content.decode()
    assert "给吴志远" in page and "给沈美华" not in page
    client.force_login(world.secretary_a)
    assert client.post(f"/inbox/{mine.pk}/open/").status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_opening_marks_read_and_follows_only_local_links(client, world):
    local = notify(recipient=world.member, title="本地", url="/portal/")
    outside = notify(recipient=world.member, title="外链", url="https://evil.example/")
    client.force_login(world.member)
    assert client.post(f"/inbox/{local.pk}/open/").url == "/portal/"
    assert client.post(f"/inbox/{outside.pk}/open/").url == "/inbox/"
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()


def test_the_unread_badge_counts_and_mark_all_read_clears_it(client, world):
    for i in range(3):
        notify(recipient=world.member, title=f"消息{i}")
    client.force_login(world.member)
    assert client.get("/portal/").context["unread_count"] == 3
    client.post("/inbox/read-all/")
    assert client.get("/portal/").context["unread_count"] == 0
