"""Import jobs: one uploaded Excel file, validated in the background, applied all or nothing.

The file itself is deleted once the job has run (it may hold resident ID numbers in plain text);
the job keeps what staff need afterwards: the counts, or every bad row with its reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PublicIdModel, TimestampedModel


class ImportJob(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        UNITS = "units", _("units")
        PARTY_ORGS = "party_orgs", _("party organisations")
        PEOPLE = "people", _("people")
        MEMBER_REGISTRATIONS = "member_registrations", _("member registrations")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        FAILED = "failed", _("failed")
        DONE = "done", _("done")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # Every problem found: [row, column, message, params], the message an English source string
    # translated when shown, so a page in Chinese shows Chinese reasons. Row 0: the whole file.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.DONE)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_writing(self) -> bool:
        """Every row is checked and the one transaction that writes them is running."""
        return (
            self.status == self.Status.RUNNING
            and self.total_rows > 0
            and self.processed_rows >= self.total_rows
        )


def error_reason(message: str, params: dict | None) -> str:
    """An error's reason in the active language."""
    text = gettext(message)
    return text % params if params else text
