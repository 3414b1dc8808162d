"""Running tallies of the activity KPIs, kept by the database itself (docs/scale.md).

A whole city's dashboard cannot count millions of check-ins on every request, so the four KPIs
that count activities and check-ins (pairing activities, volunteer person-times, beneficiary
person-times, people reached) are also kept as sums per area and Shanghai day:

- ``ActivityTallyChange``: what one write changed. Database triggers on activities and attendances
  (``fumin/kpis/tallies.py``) append one row per area the activity's community lies in (the
  community, its grid, subdistrict and district): inserts only, so concurrent check-ins never wait
  for each other on a shared total.
- ``ActivityTally``: the changes folded together, one row per area, day and kind of fact
  (``tallies.compact``). A figure is the sum of both tables, so folding changes no figure.

"Participating units" asks, unit by unit, whether one of its people checked in during the period:
at a city's size that is most of its cost, so those check-ins are kept the same way per unit and
Shanghai month (``UnitCheckInTally`` and ``UnitCheckInTallyChange``).

The KPI definitions stay the meaning of every number; ``fumin/kpis/tests/test_aggregates.py``
proves the tallies equal the plain counts after random writes through the services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fumin.registry.models import Area, Unit


class TallyKey(models.Model):
    """What a tally row adds up: the activities of one kind, held or not, in a project or not,
    starting on one Shanghai day in one area (at every level above the community too)."""

    # Indexed by the key (folded) or by (area, day) (changes), both led by the area. No foreign
    # key constraint in the database: the triggers take the areas from registry_area in the same
    # statement, and a constraint would make every check-in lock the rows of its community, grid,
    # subdistrict and district (shared by every check-in of the district) at commit.
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20)
    held = models.BooleanField(_("held"))
    in_project = models.BooleanField(_("in a project"))
    activities = models.BigIntegerField(_("activities held"), default=0)
    check_ins = models.BigIntegerField(_("check-ins"), default=0)
    beneficiaries = models.BigIntegerField(_("beneficiaries"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.area_id} {self.day} {self.kind}"


class ActivityTally(TallyKey):
    class Meta:
        verbose_name = _("activity tally")
        verbose_name_plural = _("activity tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "kind", "held", "in_project"], name="kpis_tally_key"
            )
        ]


class ActivityTallyChange(TallyKey):
    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("activity tally change")
        verbose_name_plural = _("activity tally changes")
        indexes = [models.Index(fields=["area", "day"], name="kpis_tally_change_area_day")]


class UnitCheckInKey(models.Model):
    """Check-ins of a unit's people (their work unit now) at activities starting in one Shanghai
    month: what "participating units" asks most (``tallies.py``)."""

    # Indexed by the key (folded) or by (unit, month) (changes), both led by the unit; no
    # constraint in the database, as for the areas above.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField(_("month"))  # its first day
    check_ins = models.BigIntegerField(_("check-ins"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"


class UnitCheckInTally(UnitCheckInKey):
    class Meta:
        verbose_name = _("unit check-in tally")
        verbose_name_plural = _("unit check-in tallies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="kpis_unit_tally_key")
        ]


class UnitCheckInTallyChange(UnitCheckInKey):
    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("unit check-in tally change")
        verbose_name_plural = _("unit check-in tally changes")
        indexes = [models.Index(fields=["unit", "month"], name="kpis_unit_change_key")]
