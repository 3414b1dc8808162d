"""The registry: the area tree and the units that sit in it.

Areas form the 1+4+X tree (district → subdistrict → grid → community). Every person's scope is a
node of it, so subtree queries must be cheap: each area keeps a materialized ``path`` of fixed-width
steps, and "everything under X" is ``path__startswith=X.path``, one indexed range scan.
"""

from django.core.exceptions import ValidationError
from django.db import models
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

    def is_within(self, other: "Area") -> bool:
        """True when this area is ``other`` or lies under it."""
        return self.path.startswith(other.path)

    def ancestors(self):
        """The chain from the root down to this area's parent, in one query."""
        prefixes = [self.path[:end] for end in range(PATH_STEP, len(self.path), PATH_STEP)]
        return Area.objects.filter(path__in=prefixes).order_by("path")

    def subtree(self):
        return Area.objects.filter(path__startswith=self.path)


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
    address = models.CharField(_("address"), max_length=300, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.credit_code:
            try:
                self.credit_code = uscc.validate(self.credit_code)
            except Exception as exc:  # stdnum raises several ValidationError subclasses
                raise ValidationError(
                    {"credit_code": _("Not a valid unified social credit code (18 characters).")}
                ) from exc
