"""Models of dual reporting (双报告) and of the yearly re-confirmation reminders.

Kept apart from ``models.py`` (dual registration) and loaded with the app (see ``apps.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PublicIdModel, TimestampedModel
from fumin.registry.models import Area, PartyOrg, Person, Unit

from .models import MemberRegistration
from .periods import HALF_YEAR, YEAR, Period


class ServiceReport(PublicIdModel, TimestampedModel):
    """What a member (or a unit's members) did in the communities over one period, reported back
    to their own party organisation. ``content`` holds the structured report; it is regenerated,
    never typed in."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member report")
        UNIT = "unit", _("unit report")

    class PeriodKind(models.TextChoices):
        HALF_YEAR = HALF_YEAR, _("half-year")
        YEAR = YEAR, _("year")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The subject: a person (member report) or a unit (unit report), never both.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_reports",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_reports",
    )
    # Context of a member report: the member's latest registration in the period, their work
    # unit and own party organisation when the report was generated.
    registration = models.ForeignKey(
        MemberRegistration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_unit = models.ForeignKey(
        Unit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The communities the report covers: where the member (or the unit's organisation and
    # members) were registered during the period. Community staff see reports through these.
    communities = models.ManyToManyField(Area, related_name="+", blank=True)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    generated_at = models.DateTimeField(_("generated at"))
    content = models.JSONField(_("content"), default=dict)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("service report")
        verbose_name_plural = _("service reports")
        ordering = ["-period_start", "kind", "-generated_at"]
        constraints = [
            models.CheckConstraint(
                name="service_report_one_subject",
                condition=(
                    Q(kind="member", person__isnull=False, unit__isnull=True)
                    | Q(kind="unit", unit__isnull=False, person__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "person", "period_start", "period_end"],
                condition=Q(person__isnull=False),
                name="service_report_once_per_person_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "period_start", "period_end"],
                condition=Q(unit__isnull=False),
                name="service_report_once_per_unit_period",
            ),
        ]
        indexes = [models.Index(fields=["period_start", "period_end"])]

    def __str__(self):
        return f"{self.subject_name} · {self.period.label}"

    def get_absolute_url(self):
        return reverse("console:report_detail", kwargs={"public_id": self.public_id})

    @property
    def subject_name(self) -> str:
        return self.person.name if self.kind == self.Kind.MEMBER else self.unit.name

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_kind)

    @property
    def area(self) -> Area | None:
        """The area the report is audited under: the member's community, or the unit's area."""
        if self.kind == self.Kind.MEMBER and self.registration_id:
            return self.registration.community
        return self.unit.area if self.unit_id else None


class ReconfirmationReminder(models.Model):
    """One reminder sent in one re-confirmation cycle, so nobody is reminded twice.

    A community's secretaries get one reminder per cycle (``registration`` empty) with the count
    of its overdue registrations; a member gets one about their own registration.
    """

    cycle_start = models.DateField(_("re-confirmation cycle"))
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        MemberRegistration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_count = models.PositiveIntegerField(_("overdue registrations"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("re-confirmation reminder")
        verbose_name_plural = _("re-confirmation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle_start", "community"],
                condition=Q(registration__isnull=True),
                name="reconfirmation_reminder_once_per_community",
            ),
            models.UniqueConstraint(
                fields=["cycle_start", "registration"],
                condition=Q(registration__isnull=False),
                name="reconfirmation_reminder_once_per_registration",
            ),
        ]

    def __str__(self):
        return f"{self.cycle_start} · {self.community}"
