"""Settings for the test suite: the base settings with fast hashing and captured outbound mail."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "fumin.notifications.sms.MemorySmsBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run inside the call that enqueues them, so tests see their effects at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded files (activity photos, import files) go to a scratch directory, never var/media.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "fumin-test-media"
