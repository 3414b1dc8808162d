"""The embedded task backend: the caller returns at once, the task runs in one worker thread."""

import threading

from django_tasks import TaskResultStatus, task

from fumin.core.task_backends import ThreadBackend, drain

SEEN: list[tuple[str, int]] = []
RELEASE = threading.Event()


@task()
def remember(value: int) -> int:
    RELEASE.wait(5)
    SEEN.append((threading.current_thread().name, value))
    return value * 2


@task()
def explode() -> None:
    raise RuntimeError("boom")


def test_tasks_run_in_order_in_one_background_thread():
    SEEN.clear()
    RELEASE.clear()
    backend = ThreadBackend("default", {})
    first = backend.enqueue(remember, (1,), {})
    second = backend.enqueue(remember, (2,), {})
    assert SEEN == []  # enqueue returned before the task ran
    RELEASE.set()
    assert drain(10)
    assert SEEN == [("fumin-tasks", 1), ("fumin-tasks", 2)]
    assert (first.status, second.status) == (TaskResultStatus.SUCCESSFUL,) * 2
    assert second.return_value == 4


def test_a_failing_task_is_recorded_and_the_worker_goes_on():
    SEEN.clear()
    RELEASE.set()
    backend = ThreadBackend("default", {})
    failed = backend.enqueue(explode, (), {})
    after = backend.enqueue(remember, (3,), {})
    assert drain(10)
    assert failed.status == TaskResultStatus.FAILED
    assert "RuntimeError" in failed.errors[0].exception_class_path
    assert after.status == TaskResultStatus.SUCCESSFUL
