"""The registry: the area tree, places, units, party organisations, people, alliances and joint
meetings. (The council has an app of its own, ``fumin.council``.)

Areas form the 1+4+X tree (district → subdistrict → grid → community). Every person's scope is a
node of it, so subtree queries must be cheap: each area keeps a materialized ``path`` of fixed-width
steps, and "everything under X" is ``path__startswith=X.path``, one indexed range scan.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from fumin.core.models import PinyinNameModel, PublicIdModel, TimestampedModel

PATH_STEP = 5  # characters per level: base-36, up to 60 million children under one parent


class Area(PublicIdModel, TimestampedModel, PinyinNameModel):
    class Kind(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        SUBDISTRICT = "subdistrict", _("subdistrict")
        GRID = "grid", _("grid")
        COMMUNITY = "community", _("residential community")

    # Which kind may hang under which: the tree's shape is a data rule, not a convention.
    CHILD_KINDS = {
        None: {Kind.CITY, Kind.DISTRICT},
        Kind.CITY: {Kind.DISTRICT},
        Kind.DISTRICT: {Kind.SUBDISTRICT},
        Kind.SUBDISTRICT: {Kind.GRID},
        Kind.GRID: {Kind.COMMUNITY},
        Kind.COMMUNITY: set(),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        parent_kind = self.parent.kind if self.parent_id else None
        if self.kind not in self.CHILD_KINDS[parent_kind]:
            raise ValidationError(
                {"kind": _("A %(kind)s cannot be placed here.") % {"kind": self.get_kind_display()}}
            )

    def name_with_subdistrict(self) -> str:
        """A community's name and its subdistrict (its grid's parent), to tell like-named
        communities of a city apart in a search; other areas by name."""
        grid = self.parent if self.kind == self.Kind.COMMUNITY else None
        subdistrict = grid.parent if grid is not None else None
        return f"{self.name}（{subdistrict.name}）" if subdistrict is not None else self.name

    def is_within(self, other: "Area") -> bool:
        """True when this area is ``other`` or lies under it."""
        return self.path.startswith(other.path)

    def ancestors(self):
        """The chain from the root down to this area's parent, in one query."""
        prefixes = [self.path[:end] for end in range(PATH_STEP, len(self.path), PATH_STEP)]
        return Area.objects.filter(path__in=prefixes).order_by("path")

    def subtree(self):
        return Area.objects.filter(path__startswith=self.path)


class Place(PublicIdModel, TimestampedModel, PinyinNameModel):
    """An office building, commercial district or block where units sit (楼宇 / 商圈 / 街区)."""

    class Kind(models.TextChoices):
        OFFICE_BUILDING = "office_building", _("office building")
        COMMERCIAL_DISTRICT = "commercial_district", _("commercial district")
        BLOCK = "block", _("street block")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="places"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("console:place_detail", args=[self.public_id])


class Unit(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A regional unit (区域单位): company, agency, hospital, school, "two new" organisation…"""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        STATE_OWNED = "state_owned", _("state-owned enterprise")
        GOVERNMENT = "government", _("government agency")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        SOCIAL_ORGANISATION = "social_organisation", _("social organisation")
        NEW_ECONOMIC = "new_economic", _("new economic organisation")
        NEW_SOCIAL = "new_social", _("new social organisation")
        PROVINCIAL_OFFICE = "provincial_office", _("office of another province")

    # The "two new" organisations (两新组织) of the article's figures.
    TWO_NEW_KINDS = (Kind.NEW_ECONOMIC, Kind.NEW_SOCIAL)

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The subdistrict, grid or community the unit sits in."),
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def name_with_area(self) -> str:
        """The name and the area it is in, to tell like-named units apart in a search."""
        return f"{self.name}（{self.area.name}）"

    def get_absolute_url(self):
        return reverse("console:unit_detail", args=[self.public_id])

    @property
    def is_two_new(self) -> bool:
        return self.kind in self.TWO_NEW_KINDS

    def clean(self):
        if self.credit_code:
            try:
                self.credit_code = uscc.validate(self.credit_code)
            except Exception as exc:  # stdnum raises several ValidationError subclasses
                raise ValidationError(
                    {"credit_code": _("Not a valid unified social credit code (18 characters).")}
                ) from exc


class PartyOrg(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A party organisation: committee, general branch or branch, of a unit or of a community."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("party committee")
        GENERAL_BRANCH = "general_branch", _("general party branch")
        BRANCH = "branch", _("party branch")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("residential community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    secretary_name = models.CharField(_("secretary"), max_length=100, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["name_pinyin"]
        constraints = [
            models.CheckConstraint(
                name="party_org_belongs_to_unit_or_community",
                condition=Q(unit__isnull=False, community__isnull=True)
                | Q(unit__isnull=True, community__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("console:party_org_detail", args=[self.public_id])

    def name_with_owner(self) -> str:
        """The name and its unit's or community's, to tell like-named branches apart."""
        owner = self.unit if self.unit_id else self.community
        return f"{self.name}（{owner.name}）"

    @property
    def area(self):
        """The area the organisation sits in, for scoping: its community or its unit's area."""
        return self.community if self.community_id else self.unit.area

    def clean(self):
        if bool(self.unit_id) == bool(self.community_id):
            raise ValidationError(
                {"unit": _("A party organisation belongs to either a unit or a community.")}
            )
        if self.community_id and self.community.kind != Area.Kind.COMMUNITY:
            raise ValidationError({"community": _("Choose a residential community.")})
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk and self.pk is not None:
                    raise ValidationError({"parent": _("This would make a loop of parents.")})
                ancestor = ancestor.parent


class Person(PublicIdModel, TimestampedModel, PinyinNameModel):
    """Somebody the registry knows: a party member, a volunteer, a resident, a contact.

    Only what the work needs is collected. The resident ID number is optional; when given it is
    kept encrypted (``id_number_encrypted``), found again by a keyed hash (``id_number_hash``) and
    shown masked (``id_number_masked``) unless someone with the right unmasks it, which is audited.
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        UNSPECIFIED = "", _("not given")

    mobile = models.CharField(_("mobile number"), max_length=11, null=True, blank=True, unique=True)
    id_number_encrypted = models.TextField(_("resident ID number (encrypted)"), blank=True)
    id_number_hash = models.CharField(
        _("resident ID number hash"), max_length=64, null=True, blank=True, unique=True
    )
    id_number_masked = models.CharField(_("resident ID number"), max_length=18, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    home_community = models.ForeignKey(
        Area,
        verbose_name=_("home community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    work_unit = models.ForeignKey(
        Unit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    skills = models.CharField(_("skills and specialities"), max_length=300, blank=True)
    consent_scope = models.CharField(_("consent: what"), max_length=300, blank=True)
    consent_at = models.DateTimeField(_("consent: when"), null=True, blank=True)
    consent_method = models.CharField(_("consent: how"), max_length=100, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("console:person_detail", args=[self.public_id])


class Alliance(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A field alliance (the "X" of 1+4+X): schools, culture, property management…"""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("schools")
        CULTURE = "culture", _("culture")
        PROPERTY = "property", _("property management")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="alliances"
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Unit, through="AllianceMembership", related_name="alliances", verbose_name=_("member units")
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("console:alliance_detail", args=[self.public_id])


class AllianceMembership(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="alliance_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance membership")
        verbose_name_plural = _("alliance memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(left_on__isnull=True),
                name="alliance_unit_once_while_active",
            )
        ]

    def __str__(self):
        return f"{self.alliance} · {self.unit}"


class JointMeeting(PublicIdModel, TimestampedModel, PinyinNameModel):
    """A regional party-building joint meeting (联席会议) at subdistrict, grid or place level."""

    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("subdistrict level")
        GRID = "grid", _("grid level")
        PLACE = "place", _("building / commercial district level")

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="joint_meetings"
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_meetings",
    )
    chair_unit = models.ForeignKey(
        Unit,
        verbose_name=_("chair unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Unit,
        through="JointMeetingMembership",
        related_name="joint_meetings",
        verbose_name=_("member units"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["level", "name_pinyin"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("console:joint_meeting_detail", args=[self.public_id])

    def clean(self):
        if self.level == self.Level.PLACE and not self.place_id:
            raise ValidationError({"place": _("A place-level joint meeting needs its place.")})
        expected = {self.Level.SUBDISTRICT: Area.Kind.SUBDISTRICT, self.Level.GRID: Area.Kind.GRID}
        if self.area_id and self.level in expected and self.area.kind != expected[self.level]:
            raise ValidationError({"area": _("The area does not match the meeting's level.")})


class JointMeetingMembership(models.Model):
    joint_meeting = models.ForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint meeting membership")
        verbose_name_plural = _("joint meeting memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_meeting", "unit"],
                condition=Q(left_on__isnull=True),
                name="joint_meeting_unit_once_while_active",
            )
        ]

    def __str__(self):
        return f"{self.joint_meeting} · {self.unit}"
