"""The embedded task backend: tasks run one after another in one background thread.

Django's immediate backend runs a task inside the request that enqueued it, so a long import
would hold the upload page until it finished. This backend returns at once and runs the task in
a single worker thread of the same process: no queue service to install, and the request that
queued an import can answer straight away while the job page shows its progress.

One thread per process, shared by every request thread (Django keeps a task backend per
thread, so the queue lives at module level). Each task gets fresh database connections, closed
when it ends. Tasks still queued when the process exits are run before it does (``atexit``,
up to ``DRAIN_SECONDS``); a task that was running when the process was killed is lost, which is
why a production deployment sets ``FUMIN_TASK_BACKEND`` to a queue-backed backend.
"""

import atexit
import logging
import os
import queue
import threading
import time

from django.db import connections
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)

DRAIN_SECONDS = 60

_lock = threading.Lock()
_queue: "queue.Queue[tuple[ThreadBackend, TaskResult]]" = queue.Queue()
_worker: threading.Thread | None = None
_worker_pid: int | None = None


def _work() -> None:
    while True:
        backend, task_result = _queue.get()
        try:
            backend._execute_task(task_result)  # records failures on the result itself
        except Exception:  # never let one task stop the worker
            logger.exception("Task %s failed outside its own error handling", task_result.id)
        finally:
            connections.close_all()
            _queue.task_done()


def _ensure_worker() -> None:
    global _worker, _worker_pid
    with _lock:
        # After a fork (gunicorn, the autoreloader) the parent's thread is gone: start another.
        if _worker is None or not _worker.is_alive() or _worker_pid != os.getpid():
            _worker = threading.Thread(target=_work, name="fumin-tasks", daemon=True)
            _worker.start()
            _worker_pid = os.getpid()


def drain(timeout: float = DRAIN_SECONDS) -> bool:
    """Wait until every queued task has run (True), or ``timeout`` seconds (False)."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


atexit.register(drain)


class ThreadBackend(ImmediateBackend):
    """Like ``ImmediateBackend``, but the task runs in the background thread, not the caller."""

    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        _ensure_worker()
        _queue.put((self, task_result))
        return task_result
