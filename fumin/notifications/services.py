"""The one way to tell somebody something: an inbox entry, plus outbound channels after commit."""

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delivery, Notification
from .tasks import deliver


def notify(
    *, recipient, title: str, body: str = "", url: str = "", channels: Iterable[str] = ()
) -> Notification:
    """Put a notification in ``recipient``'s inbox and queue it on each named channel.

    Outbound sending waits for the surrounding transaction to commit, so nobody is texted about a
    change that was rolled back.
    """
    unknown = set(channels) - set(settings.NOTIFICATION_CHANNELS)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient, title=title, body=body, url=url
        )
        for channel in channels:
            delivery = Delivery.objects.create(notification=notification, channel=channel)
            transaction.on_commit(partial(deliver.enqueue, delivery.pk))
    return notification


def notification_mark_read(*, viewer, notification_id: int) -> int:
    """Mark one of the viewer's notifications read; returns how many changed (0 or 1)."""
    return Notification.objects.filter(
        pk=notification_id, recipient=viewer, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_mark_all_read(*, viewer) -> int:
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).update(
        read_at=timezone.now()
    )
