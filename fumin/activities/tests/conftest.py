import pytest

from .helpers import Clock, sh


@pytest.fixture
def clock(monkeypatch):
    """Two days before the sample activity (Saturday 2020-09-12, 09:00–12:00 in Shanghai)."""
    clock = Clock(sh("2020-09-10 09:00"))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock
