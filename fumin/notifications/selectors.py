from .models import Notification


def inbox(*, viewer):
    """The viewer's own notifications; nobody reads another person's inbox."""
    if not viewer.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=viewer)


def unread_count(*, viewer) -> int:
    return inbox(viewer=viewer).filter(read_at__isnull=True).count()
