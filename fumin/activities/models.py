"""Activities and volunteering: activities, sign-up and attendance, hours, points, teams.

Service hours are never typed in: they come from an attendance's check-in and check-out, capped
at the activity's length. A manual correction is a separate, audited ``HoursCorrection``; points
are an append-only ``PointsEntry`` ledger whose balance is always a sum, never a stored number.
"""

import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PinyinNameModel, PublicIdModel, TimestampedModel
from fumin.registry.models import Area, Person, Unit

# Codes people read off a screen or a sheet and type in: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
HOURS = Decimal("0.01")


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str | None) -> str:
    """A typed code as stored: upper case, without spaces or dashes."""
    return (raw or "").strip().replace(" ", "").replace("-", "").upper()


class ActivityKind(models.TextChoices):
    PAIRING = "pairing", _("pairing")
    VOLUNTEER = "volunteer", _("volunteer service")
    STUDY = "study", _("joint study / party lecture")
    EVENT = "event", _("event")
    COURSE = "course", _("course")
    OTHER = "other", _("other")


ACTIVITY_KINDS = ActivityKind.choices


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} entries are append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} entries are append-only.")


class AppendOnlyModel(models.Model):
    """Rows are only ever added: a mistake is put right by a further entry, never an edit."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.verbose_name} entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} entries are append-only.")


class ActivitySeries(PublicIdModel, TimestampedModel):
    """A repeating activity: the template of its occurrences and the rule they follow.

    The rule is an RFC 5545 ``RRULE`` (weekly on chosen weekdays, every N weeks, monthly on a
    day; until a date or for a count) read with ``dateutil.rrule``. It runs over Shanghai wall
    time from ``starts_on`` at ``start_time``; each occurrence is an ``Activity`` linked here,
    stored in UTC. ``series_generate`` adds the occurrences that are missing, never one twice.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ACTIVITY_KINDS)
    community = models.ForeignKey(
        Area,
        verbose_name=_("residential community"),
        on_delete=models.PROTECT,
        related_name="activity_series",
    )
    host_units = models.ManyToManyField(
        Unit, verbose_name=_("host units"), blank=True, related_name="hosted_activity_series"
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    rrule = models.CharField(_("recurrence rule"), max_length=500)
    starts_on = models.DateField(_("first day"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    publish = models.BooleanField(
        _("publish the occurrences"),
        default=False,
        help_text=_("Otherwise each occurrence is made as a draft."),
    )

    class Meta:
        verbose_name = _("activity series")
        verbose_name_plural = _("activity series")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def area(self) -> Area:
        return self.community


class Activity(PublicIdModel, TimestampedModel):
    Kind = ActivityKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        HELD = "held", _("held")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    community = models.ForeignKey(
        Area,
        verbose_name=_("residential community"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("The residential community the activity is held for."),
    )
    host_units = models.ManyToManyField(
        Unit, verbose_name=_("host units"), blank=True, related_name="hosted_activities"
    )
    project = models.ForeignKey(
        "lists.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("The Fumin project the activity belongs to, if any."),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    signup_opens_at = models.DateTimeField(_("sign-up opens at"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("sign-up closes at"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    beneficiaries = models.PositiveIntegerField(
        _("beneficiaries (person-times)"), null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    checkin_code = models.CharField(
        _("check-in code"), max_length=CODE_LENGTH, unique=True, default=new_checkin_code
    )
    series = models.ForeignKey(
        ActivitySeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # The rule's start of this occurrence, kept when staff move the activity, so generating the
    # series again does not bring the moved occurrence back at its old time.
    series_slot = models.DateTimeField(_("occurrence in the series"), null=True, blank=True)
    # An optional geofence: self check-in may send the phone's position, and only whether it was
    # inside is kept on the attendance.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    geofence_radius_m = models.PositiveIntegerField(
        _("geofence radius (metres)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(50_000)],
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["community", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            # A series never has two occurrences at the same time, nor one rule slot twice.
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=Q(series__isnull=False),
                name="activity_once_per_series_and_start",
            ),
            models.UniqueConstraint(
                fields=["series", "series_slot"],
                condition=Q(series__isnull=False, series_slot__isnull=False),
                name="activity_once_per_series_slot",
            ),
            models.CheckConstraint(
                name="activity_geofence_complete_or_none",
                condition=Q(
                    latitude__isnull=True, longitude__isnull=True, geofence_radius_m__isnull=True
                )
                | Q(
                    latitude__isnull=False, longitude__isnull=False, geofence_radius_m__isnull=False
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def area(self) -> Area:
        """The area the activity is scoped by (the audit log and selectors use it)."""
        return self.community

    @property
    def length_hours(self) -> Decimal:
        return _hours_between(self.starts_at, self.ends_at)

    @property
    def has_geofence(self) -> bool:
        return None not in (self.latitude, self.longitude, self.geofence_radius_m)

    def clean(self):
        errors = {}
        if self.community_id and self.community.kind != Area.Kind.COMMUNITY:
            errors["community"] = _("Choose a residential community.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("An activity ends after it starts.")
        if self.project_id and self.community_id:
            if not self.community.path.startswith(self.project.owner_area.path):
                errors["project"] = _("The project belongs to another area than this community.")
            elif self.project.status == "draft" or self.project.archived_at is not None:
                errors["project"] = _("Only a published project can have activities.")
        opens, closes = self.signup_opens_at, self.signup_closes_at
        if opens and closes and closes <= opens:
            errors["signup_closes_at"] = _("Sign-up closes after it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["signup_closes_at"] = _("Sign-up closes before the activity ends.")
        geofence = {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geofence_radius_m": self.geofence_radius_m,
        }
        if any(v is not None for v in geofence.values()):
            for field, value in geofence.items():
                if value is None and field not in errors:
                    errors[field] = _(
                        "A geofence needs a latitude, a longitude and a radius; "
                        "fill in all three or none."
                    )
        if errors:
            raise ValidationError(errors)


def _hours_between(start, end) -> Decimal:
    seconds = Decimal(int((end - start).total_seconds()))
    return max(seconds / 3600, Decimal(0)).quantize(HOURS, rounding=ROUND_HALF_UP)


class Attendance(models.Model):
    """One person at one activity, from sign-up to check-out. One per person and activity, so a
    repeated sign-up or check-in finds the same row (the natural key is the constraint)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("did not come")
        ATTENDED = "attended", _("attended")

    class Method(models.TextChoices):
        QR = "qr", _("scanned the activity's QR code")
        PERSONAL_CODE = "personal_code", _("personal code shown to staff")
        TYPED_CODE = "typed_code", _("typed the activity's code")
        STAFF = "staff", _("checked in by staff")

    # Statuses that hold one of the activity's places.
    PLACE_HOLDING = (Status.CONFIRMED, Status.ATTENDED)

    # No index of its own: the unique (activity, person) and (activity, status, signed_up_at)
    # lead with it (activities.0005).
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="attendances",
        db_index=False,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    signed_up_at = models.DateTimeField(_("signed up at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    walk_up = models.BooleanField(_("walk-up"), default=False)
    checkin_method = models.CharField(
        _("check-in method"), max_length=20, choices=Method.choices, blank=True
    )
    # Not indexed: nothing looks check-ins up by who did them, and every check-in would pay
    # for the index (activities.0005).
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Only whether the person was inside the activity's geofence: never their coordinates.
    geofence_passed = models.BooleanField(_("inside the geofence"), null=True, blank=True)
    # When the reminder before the start went out (``send_activity_reminders``): once only.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], name="attendance_once_per_person"
            ),
            models.CheckConstraint(
                name="attendance_checks_out_after_check_in",
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=False, checked_out_at__gte=models.F("checked_in_at")),
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "signed_up_at"])]

    def __str__(self):
        return f"{self.person} · {self.activity}"

    @property
    def area(self) -> Area:
        return self.activity.community

    @property
    def hours(self) -> Decimal:
        """Hours from check-in to check-out, capped at the activity's length; 0 until both."""
        if self.checked_in_at is None or self.checked_out_at is None:
            return Decimal("0.00")
        return min(
            _hours_between(self.checked_in_at, self.checked_out_at), self.activity.length_hours
        )

    @property
    def effective_hours(self) -> Decimal:
        """Computed hours plus every correction, never below zero. Uses prefetched corrections
        when the caller prefetched them (``prefetch_related("corrections")``)."""
        corrections = sum((c.delta for c in self.corrections.all()), Decimal(0))
        return max(self.hours + corrections, Decimal(0)).quantize(HOURS)


class HoursCorrection(AppendOnlyModel):
    """A manual change of an attendance's hours, with its reason: never an edit of the original."""

    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("attendance"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    delta = models.DecimalField(
        _("hours added (negative: removed)"), max_digits=6, decimal_places=2
    )
    reason = models.CharField(_("reason"), max_length=500)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours correction")
        verbose_name_plural = _("hours corrections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.attendance} {self.delta:+}"

    @property
    def area(self) -> Area:
        return self.attendance.activity.community


class PointsRule(TimestampedModel):
    """How many points an attended activity earns: per attendance, or per hour of service."""

    class Basis(models.TextChoices):
        PER_HOUR = "per_hour", _("per hour of service")
        PER_ATTENDANCE = "per_attendance", _("per attended activity")

    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    points = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1)])
    activity_kind = models.CharField(
        _("activity kind"),
        max_length=20,
        choices=Activity.Kind.choices,
        blank=True,
        help_text=_("Leave empty to apply to every kind."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def points_for(self, attendance: Attendance) -> int:
        if self.basis == self.Basis.PER_ATTENDANCE:
            return self.points
        earned = Decimal(self.points) * attendance.effective_hours
        return int(earned.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class PointsEntry(AppendOnlyModel):
    """One line of a person's points ledger. The balance is the sum of the lines."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="points_entries"
    )
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=300)
    attendance = models.ForeignKey(
        Attendance,
        verbose_name=_("attendance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    rule = models.ForeignKey(
        PointsRule,
        verbose_name=_("points rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["created_at", "pk"]
        constraints = [
            # A rule awards an attendance once, even if closing ran twice.
            models.UniqueConstraint(
                fields=["attendance", "rule"],
                condition=Q(attendance__isnull=False, rule__isnull=False),
                name="points_once_per_attendance_and_rule",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.points:+}"


class PersonalCode(models.Model):
    """A person's stable check-in code, derived from their public id with a keyed hash. Kept so
    it can be looked up: the hash cannot be reversed."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="personal_code"
    )
    code = models.CharField(_("personal code"), max_length=CODE_LENGTH, unique=True)

    class Meta:
        verbose_name = _("personal code")
        verbose_name_plural = _("personal codes")

    def __str__(self):
        return self.code


class VolunteerTeam(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A standing volunteer team of a community or of a unit."""

    community = models.ForeignKey(
        Area,
        verbose_name=_("residential community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Person,
        through="TeamMembership",
        related_name="volunteer_teams",
        verbose_name=_("team members"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name_pinyin"]
        constraints = [
            models.CheckConstraint(
                name="volunteer_team_of_community_or_unit",
                condition=Q(community__isnull=False) | Q(unit__isnull=False),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def area(self) -> Area:
        return self.community if self.community_id else self.unit.area

    def clean(self):
        if not self.community_id and not self.unit_id:
            raise ValidationError({"community": _("A team belongs to a community or a unit.")})
        if self.community_id and self.community.kind != Area.Kind.COMMUNITY:
            raise ValidationError({"community": _("Choose a residential community.")})


class TeamMembership(models.Model):
    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="team_memberships")
    is_leader = models.BooleanField(_("team leader"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(left_on__isnull=True),
                name="team_person_once_while_active",
            )
        ]

    def __str__(self):
        return f"{self.team} · {self.person}"


def _photo_path(photo, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"activities/photos/{photo.activity.public_id}/{uuid.uuid4().hex}.{extension}"


class ActivityPhoto(models.Model):
    """A photo added when the activity was closed. Files live under ``MEDIA_ROOT`` and are
    served only through the console, to the staff who run the activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to=_photo_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def area(self) -> Area:
        return self.activity.community
