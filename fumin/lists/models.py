"""The three lists (三张清单): needs, resources and projects, with matching and claiming.

A community posts a ``Need``; units, members and subdistrict departments offer a ``Resource``; a
person decides on suggested pairs (``Match``: accepted or declined, remembered either way). Fumin
projects sit under sectors and programmes (``Sector`` → ``Programme`` → ``Project``), link the needs
and resources they answer, move through their statuses with ``Milestone``s giving the progress
figure, and are claimed by units (``Claim``), often many at a ``ClaimCeremony``.

Status changes of needs and projects are kept as history rows (``NeedEvent``, ``ProjectEvent``):
the record holds the current status, the history says who moved it when and why.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PinyinNameModel, PublicIdModel, TimestampedModel
from fumin.registry.models import Area, Person, Unit


class Category(TimestampedModel):
    """One entry of the configurable taxonomy shared by needs and resources (elderly care,
    health, …). Its ``keywords`` help matching recognise the category in free text."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Words that suggest this category, one per line.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def label(self, language: str = "zh-hans") -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name


class Need(PublicIdModel, TimestampedModel):
    class Urgency(models.TextChoices):
        LOW = "low", _("low")
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("matched")
        IN_PROJECT = "in_project", _("in a project")
        MET = "met", _("met")
        CLOSED = "closed", _("closed")

    class Source(models.TextChoices):
        STAFF = "staff", _("community staff")
        RESIDENT = "resident", _("resident")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="needs"
    )
    beneficiary_group = models.CharField(
        _("beneficiary group"), max_length=100, blank=True, help_text=_("e.g. elderly living alone")
    )
    expected_beneficiaries = models.PositiveIntegerField(
        _("expected number of beneficiaries"), null=True, blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("residential community"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(
        _("raised by"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_raised",
    )
    # The words of title and description as jieba cuts them, for matching (kept in step by the
    # services on every write).
    terms = models.TextField(_("terms"), blank=True, editable=False)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.MATCHED, self.Status.IN_PROJECT)


class StatusEvent(models.Model):
    """One status change of a record: who moved it when, from what to what, and why."""

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class NeedEvent(StatusEvent):
    """One status change of a need: the history shown on its page."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        pass


class Resource(PublicIdModel, TimestampedModel):
    class Kind(models.TextChoices):
        VENUE = "venue", _("venue")
        EXPERTISE = "expertise", _("expertise")
        VOLUNTEERS = "volunteers", _("volunteers")
        FUNDS = "funds", _("funds")
        GOODS = "goods", _("goods")
        SERVICES = "services", _("services")

    class Provider(models.TextChoices):
        UNIT = "unit", _("unit")
        MEMBER = "member", _("registered member")
        DEPARTMENT = "department", _("subdistrict department")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="resources"
    )
    provider = models.CharField(_("offered by"), max_length=20, choices=Provider.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("How many people or times it can serve.")
    )
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("e.g. weekday evenings")
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="resources",
        help_text=_(
            "Where the resource is: a community, or the subdistrict for one offered to all."
        ),
    )
    terms = models.TextField(_("terms"), blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["category", "archived_at"]),
            # matching: the same category near a need (fumin.lists.matching)
            models.Index(fields=["category", "area"], name="resource_category_area"),
        ]
        constraints = [
            models.CheckConstraint(
                name="resource_has_its_provider",
                condition=(
                    Q(provider="unit", unit__isnull=False, person__isnull=True, department="")
                    | Q(provider="member", person__isnull=False, unit__isnull=True, department="")
                    | (
                        Q(provider="department", unit__isnull=True, person__isnull=True)
                        & ~Q(department="")
                    )
                ),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def provider_name(self) -> str:
        if self.provider == self.Provider.UNIT and self.unit_id:
            return self.unit.name
        if self.provider == self.Provider.MEMBER and self.person_id:
            return self.person.name
        return self.department

    def clean(self):
        errors = {}
        if self.provider == self.Provider.UNIT and not self.unit_id:
            errors["unit"] = _("Choose the unit that offers the resource.")
        if self.provider == self.Provider.MEMBER and not self.person_id:
            errors["person"] = _("Choose the member who offers the resource.")
        if self.provider == self.Provider.DEPARTMENT and not self.department.strip():
            errors["department"] = _("Name the subdistrict department that offers the resource.")
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            errors["available_until"] = _("The end of availability is before its start.")
        if errors:
            raise ValidationError(errors)


class ResourceTerm(models.Model):
    """An inverted index of resources by the words of their text, for fast matching at scale."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="term_rows")
    term = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "resource"], name="resource_term_unique")
        ]

    def __str__(self):
        return self.term


class Term(models.Model):
    """How many resources carry a word (its document frequency, for matching's IDF), kept in
    step with ``ResourceTerm`` by the services; ``reindex_lists`` recounts it from scratch."""

    term = models.CharField(max_length=40, unique=True)
    resources = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.term} ({self.resources})"


class Sector(PublicIdModel, TimestampedModel):
    """板块: the top level of the Fumin projects, e.g. 红色文化, 为民服务."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Programme(PublicIdModel, TimestampedModel):
    """大项: a programme inside a sector, grouping that year's projects."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["sector__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="programme_name_per_sector")
        ]

    def __str__(self):
        return self.name


class Project(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A Fumin project (subdistrict level) or Fumin small project (community level) of one year.

    ``name`` is the project's title. ``progress`` is derived from its milestones, never typed.
    """

    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Fumin project (subdistrict)")
        COMMUNITY = "community", _("Fumin small project (community)")

    class Kind(models.TextChoices):
        PUBLIC_WELFARE = "public_welfare", _("public-welfare volunteer")
        CULTURE = "culture", _("culture")
        STUDY = "study", _("study")
        SERVICE = "service", _("service")
        GOVERNANCE = "governance", _("community governance")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLAIMED = "claimed", _("claimed")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        EVALUATED = "evaluated", _("evaluated")

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    owner_area = models.ForeignKey(
        Area, verbose_name=_("owner area"), on_delete=models.PROTECT, related_name="projects"
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs"), blank=True, related_name="projects"
    )
    resources = models.ManyToManyField(
        Resource, verbose_name=_("resources"), blank=True, related_name="projects"
    )
    adjusted = models.BooleanField(
        _("adjusted this year"),
        default=False,
        help_text=_("Newly adjusted in this year's cycle (新调整)."),
    )
    adjustment_note = models.CharField(_("what was adjusted"), max_length=300, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "name_pinyin", "pk"]
        indexes = [models.Index(fields=["year", "level", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["copied_from", "year"], name="project_copied_once_per_year"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def area(self) -> Area:
        return self.owner_area

    @property
    def sector(self) -> Sector | None:
        return self.programme.sector if self.programme_id else None

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT and self.archived_at is None


class ProjectEvent(StatusEvent):
    """One status change of a project: the history shown on its page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        pass


class Milestone(PublicIdModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["position", "due_on", "pk"]

    def __str__(self):
        return self.title


class Match(TimestampedModel):
    """A person's decision on a suggested pair of a need and a resource (or a unit).

    Suggestions themselves are computed on the fly (``fumin.lists.matching``); only decisions are
    stored, so a declined pair is never suggested again and an accepted one links the resource.
    """

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="matches"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="match_names_resource_or_unit",
                condition=Q(resource__isnull=False) | Q(unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["need", "resource"],
                condition=Q(resource__isnull=False),
                name="match_once_per_need_resource",
            ),
            models.UniqueConstraint(
                fields=["need", "unit"],
                condition=Q(resource__isnull=True),
                name="match_once_per_need_unit",
            ),
        ]


class ClaimCeremony(PublicIdModel, TimestampedModel):
    """认领仪式: an event at which many units claim projects; staff record the claims in one go."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="claim_ceremonies"
    )

    class Meta:
        verbose_name = _("claim ceremony")
        verbose_name_plural = _("claim ceremonies")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class Claim(PublicIdModel, TimestampedModel):
    """认领: a unit adopts a project, saying how it takes part (mode) and what it plans (plan)."""

    class Mode(models.TextChoices):
        VOLUNTEERS = "volunteers", _("volunteers")
        EXPERTISE = "expertise", _("professional expertise")
        VENUE = "venue", _("venue")
        FUNDS = "funds", _("funds")
        GOODS = "goods", _("goods and materials")
        JOINT = "joint", _("joint organisation")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        WITHDRAWN = "withdrawn", _("withdrawn")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="claims"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="claims"
    )
    mode = models.CharField(_("participation mode"), max_length=20, choices=Mode.choices)
    plan = models.TextField(_("plan"), help_text=_("How the unit intends to take part (具体设想)."))
    claimed_on = models.DateField(_("claimed on"))
    ceremony = models.ForeignKey(
        ClaimCeremony,
        verbose_name=_("claim ceremony"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "unit"],
                condition=Q(status="active"),
                name="claim_once_per_project_unit",
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.project}"

    @property
    def area(self) -> Area:
        return self.project.owner_area
