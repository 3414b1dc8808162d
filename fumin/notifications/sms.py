"""SMS backends. Production plugs in a provider's client behind the same one-method interface."""

import logging

logger = logging.getLogger(__name__)


class SmsBackend:
    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """For development: prints the message instead of sending it."""

    def send(self, mobile: str, text: str) -> None:
        print(f"[SMS to {mobile}] {text}", flush=True)


class MemorySmsBackend(SmsBackend):
    """For tests: keeps every message in ``outbox``, like Django's locmem mail backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        MemorySmsBackend.outbox.append((mobile, text))
