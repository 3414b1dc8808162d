"""Outbound channels. Each takes a notification and either sends it or says why it skipped."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class Skip(Exception):
    """The channel cannot reach this recipient (no email address, say); not an error."""


class EmailChannel:
    name = "email"

    def send(self, notification) -> None:
        address = notification.recipient.email
        if not address:
            raise Skip("no email address")
        text = notification.body
        if notification.url:
            text = f"{text}\n\n{notification.url}"
        send_mail(notification.title, text, None, [address])


class SmsChannel:
    name = "sms"

    def send(self, notification) -> None:
        mobile = notification.recipient.mobile
        if not mobile:
            raise Skip("no mobile number")
        backend = import_string(settings.SMS_BACKEND)()
        backend.send(
            mobile, f"【{settings.FUMIN_SITE_NAME}】{notification.title} {notification.body}"
        )


def get_channel(name: str):
    return import_string(settings.NOTIFICATION_CHANNELS[name])()
