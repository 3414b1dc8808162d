"""The council of the regional party-building joint meeting (联席会议理事会).

Seats are never edited by hand. They change only when a motion — a list of additions and
adjustments (增补调整名单) — is approved at a recorded council meeting; approving applies each item
of the motion, opening and closing seats. So the whole history of who sat on the council, in which
role and from when, can be read back from the seats and the motions that opened and closed them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PublicIdModel, TimestampedModel
from fumin.registry.models import Area, Unit


class SeatRole(models.TextChoices):
    ROTATING_CHAIR = "rotating_chair", _("rotating chair")
    MEMBER_UNIT = "member_unit", _("council member unit")


class Council(PublicIdModel, TimestampedModel):
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="councils"
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name


class CouncilMeeting(PublicIdModel, TimestampedModel):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def area(self):
        """The council's subdistrict: what the audit log and scope checks go by."""
        return self.council.area


class CouncilMotion(PublicIdModel, TimestampedModel):
    """A list of additions and adjustments, decided at a meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="motions")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    meeting = models.ForeignKey(
        CouncilMeeting,
        verbose_name=_("decided at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("council motion")
        verbose_name_plural = _("council motions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def area(self):
        return self.council.area

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class CouncilMotionItem(models.Model):
    class Action(models.TextChoices):
        ADD = "add", _("add a seat")
        CHANGE_ROLE = "change_role", _("change the role of a seat")
        END = "end", _("end a seat")

    motion = models.ForeignKey(CouncilMotion, on_delete=models.CASCADE, related_name="items")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        verbose_name = _("motion item")
        verbose_name_plural = _("motion items")

    def __str__(self):
        return f"{self.get_action_display()} {self.unit}"

    @property
    def area(self):
        return self.motion.council.area


class CouncilSeat(PublicIdModel, TimestampedModel):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="seats")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    opened_by = models.ForeignKey(
        CouncilMotion, on_delete=models.PROTECT, related_name="opened_seats"
    )
    closed_by = models.ForeignKey(
        CouncilMotion, null=True, blank=True, on_delete=models.PROTECT, related_name="closed_seats"
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        ordering = ["term_start", "id"]
        constraints = [
            # A unit holds at most one open seat on a council at a time.
            models.UniqueConstraint(
                fields=["council", "unit"],
                condition=Q(closed_by__isnull=True),
                name="council_unit_one_open_seat",
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_role_display()}"

    @property
    def area(self):
        return self.council.area

    @property
    def is_open(self) -> bool:
        return self.closed_by_id is None
