from django.utils import timezone
from django_tasks import task

from .channels import Skip, get_channel
from .models import Delivery


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery through its channel and record how it went."""
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    if delivery.status != Delivery.Status.PENDING:
        return delivery.status  # already handled: a retried task must not send twice
    try:
        get_channel(delivery.channel).send(delivery.notification)
    except Skip as reason:
        delivery.status, delivery.detail = Delivery.Status.SKIPPED, str(reason)
    except Exception as exc:  # a provider's failure is recorded, never lost silently
        delivery.status, delivery.detail = Delivery.Status.FAILED, repr(exc)[:500]
    else:
        delivery.status, delivery.sent_at = Delivery.Status.SENT, timezone.now()
    delivery.save(update_fields=["status", "detail", "sent_at"])
    return delivery.status
