"""The KPIs of the article, each one named query: the only place these numbers are computed.

Every KPI is built from *facts* — the rows that make it up (registrations, attendances, activities,
claims, projects, units) in a period and an area — and a *measure* over them:

- ``distinct``: how many different things the facts name (people, organisations, projects);
- ``rows``: how many facts there are (person-times: one attendance is one person-time);
- ``sum``: the total of a number recorded on the facts (beneficiaries on held activities).

``records()`` gives the things counted, for the drill-down: for ``distinct`` and ``rows`` KPIs the
list has exactly ``value()`` rows; for ``sum`` KPIs it lists the facts whose numbers add up to the
value. ``breakdown()`` splits the value by grid, community, unit, sector or month; for a
``distinct`` KPI a thing in two groups counts once in each group and once in the total, so the
groups may add up to more than the total (docs/kpis.md says this for each KPI).

docs/kpis.md states exactly what each KPI counts; keep the two in step.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from fumin.activities.models import Activity, Attendance
from fumin.lists.models import Claim, Programme, Project, Sector
from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registry.models import Area, PartyOrg, Person, Unit

from .models import UnitCheckInTally, UnitCheckInTallyChange
from .periods import SHANGHAI, Period

HELD = (Activity.Status.HELD, Activity.Status.CLOSED)


@dataclass(frozen=True)
class Dimension:
    """How facts group by one breakdown: the key to filter by and the label to show."""

    key: str
    label: str


@dataclass(frozen=True)
class TallySum:
    """The KPI read from the activity tallies (``fumin/kpis/tallies.py``): the sum of ``column``
    over the tally rows matching ``key`` (kind, held, in a project). Equal to the measure of the
    facts at every moment (``fumin/kpis/tests/test_aggregates.py``), and read from a few rows per
    area and day instead of every fact: what keeps a city's dashboard fast (docs/scale.md)."""

    column: str
    key: dict[str, object]


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    unit: str  # what one counts: 人次 (person-times), 人 (people), 个 (things)
    measure: str  # distinct | rows | sum
    counts: str  # one sentence: exactly what is counted
    facts: Callable[[Period], QuerySet]
    area_path: str  # path of the facts' area, for the area scope
    model: type[Model]  # what ``records()`` lists
    distinct_field: str = "pk"  # for ``distinct``: the field naming the thing counted
    sum_field: str = ""  # for ``sum``
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    month_field: str = ""  # the date or time deciding a fact's month
    article_2020: str = ""
    tally: TallySum | None = None  # the same value, kept running by the database
    tallied_facts: Callable[[Period], QuerySet] | None = None  # the same facts, from tallies

    # --- facts and values ---

    def scoped_facts(self, period: Period, area: Area | None = None, *, tallied=False) -> QuerySet:
        """The facts in the period (and area); ``tallied``: the same facts read from the tallies
        where the KPI has such a formulation (``tallied_facts``)."""
        facts = (self.tallied_facts if tallied and self.tallied_facts else self.facts)(period)
        if area is not None:
            facts = facts.filter(**{f"{self.area_path}__startswith": area.path})
        return facts

    def value(self, period: Period, area: Area | None = None) -> int:
        return self._measure(self.scoped_facts(period, area))

    def _measure(self, facts: QuerySet) -> int:
        if self.measure == "distinct":
            return facts.aggregate(n=Count(self.distinct_field, distinct=True))["n"] or 0
        if self.measure == "sum":
            return facts.aggregate(n=Sum(self.sum_field))["n"] or 0
        return facts.count()

    def _measure_expression(self):
        if self.measure == "distinct":
            return Count(self.distinct_field, distinct=True)
        if self.measure == "sum":
            return Sum(self.sum_field)
        return Count("pk")

    def _measure_query(self, facts: QuerySet) -> QuerySet:
        """A one-row query of the value of ``facts``, as a subquery of ``measure_together``.

        The same SQL aggregate as ``_measure`` (``COUNT(DISTINCT …)``, ``SUM``, ``COUNT``), as a
        plain function so that no GROUP BY is added: exactly one row, even with no facts."""
        if self.measure == "distinct":
            expression = Func(F(self.distinct_field), template="COUNT(DISTINCT %(expressions)s)")
        elif self.measure == "sum":
            expression = Func(F(self.sum_field), function="SUM")
        else:
            expression = Func(Value(1), function="COUNT")
        return facts.order_by().annotate(n=expression).values("n")

    # --- breakdowns ---

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return (*self.dimensions, *(("month",) if self.month_field else ()))

    def breakdown(self, by: str, period: Period, area: Area | None = None) -> list[dict]:
        return self.breakdown_of(self.scoped_facts(period, area), by)

    def breakdown_of(self, facts: QuerySet, by: str) -> list[dict]:
        """``[{"key": …, "label": …, "value": n}, …]`` of ``facts`` grouped ``by`` a dimension."""
        if by not in self.breakdowns:
            raise ValueError(f"{self.code} has no breakdown by {by!r}")
        if by == "month":
            rows = (
                facts.annotate(group=self._month(facts.model))
                .values("group")
                .annotate(value=self._measure_expression())
                .order_by("group")
            )
            return [
                {"key": r["group"].strftime("%Y-%m"), "label": r["group"].strftime("%Y-%m"),
                 "value": r["value"] or 0}
                for r in rows
                if r["group"] is not None
            ]  # fmt: skip
        dimension = self.dimensions[by]
        rows = (
            facts.values(key=F(dimension.key), label=F(dimension.label))
            .annotate(value=self._measure_expression())
            .order_by("label", "key")
        )
        return [
            {"key": str(r["key"]) if r["key"] is not None else "", "label": r["label"] or "",
             "value": r["value"] or 0}
            for r in rows
        ]  # fmt: skip

    def _month_is_time(self, model: type[Model]) -> bool:
        field_ = None
        for part in self.month_field.split("__"):
            field_ = model._meta.get_field(part)
            model = field_.related_model or model
        return isinstance(field_, DateTimeField)

    def _month(self, model: type[Model]) -> TruncMonth:
        """The month of a fact; times are turned into Shanghai days first."""
        if self._month_is_time(model):
            return TruncMonth(self.month_field, tzinfo=SHANGHAI)
        return TruncMonth(self.month_field)

    def narrow(self, facts: QuerySet, by: str, key: str) -> QuerySet:
        """The facts of one group of a breakdown (a drill-down from a table cell)."""
        if by == "month":
            year, month = (int(part) for part in key.split("-"))
            first = datetime.date(year, month, 1)
            after = (first + datetime.timedelta(days=32)).replace(day=1)
            if self._month_is_time(facts.model):
                first, after = (
                    datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)
                    for day in (first, after)
                )
            return facts.filter(
                **{f"{self.month_field}__gte": first, f"{self.month_field}__lt": after}
            )
        dimension = self.dimensions[by]
        if key == "":
            return facts.filter(**{f"{dimension.key}__isnull": True})
        return facts.filter(**{dimension.key: key})

    # --- the records behind the number ---

    def records(
        self, period: Period, area: Area | None = None, *, by: str = "", key: str = ""
    ) -> QuerySet:
        """The things counted (or, for a sum, the facts summed), for the drill-down list."""
        facts = self.scoped_facts(period, area)
        return self.records_of(self.narrow(facts, by, key) if by else facts)

    def records_of(self, facts: QuerySet) -> QuerySet:
        if self.measure == "distinct" and self.model is not facts.model:
            return self.model.objects.filter(pk__in=facts.values(self.distinct_field))
        return self.model.objects.filter(pk__in=facts.values("pk"))


# Facts ------------------------------------------------------------------------------------------


def _org_registrations(period: Period) -> QuerySet:
    return OrgRegistration.objects.filter(
        confirmed_at__gte=period.first_instant, confirmed_at__lt=period.after_instant
    )


def _member_registrations(period: Period) -> QuerySet:
    return MemberRegistration.objects.filter(
        confirmed_at__gte=period.first_instant, confirmed_at__lt=period.after_instant
    )


def _activities(period: Period) -> QuerySet:
    return Activity.objects.filter(
        starts_at__gte=period.first_instant, starts_at__lt=period.after_instant
    )


def _pairing_held(period: Period) -> QuerySet:
    return _activities(period).filter(kind=Activity.Kind.PAIRING, status__in=HELD)


def _attendances(period: Period) -> QuerySet:
    """Check-ins at activities starting in the period. A join on the activity, not ``IN (all the
    period's activities)``: a viewer's area then picks the activities first (docs/scale.md)."""
    return Attendance.objects.filter(
        activity__starts_at__gte=period.first_instant,
        activity__starts_at__lt=period.after_instant,
        checked_in_at__isnull=False,
    )


def _volunteer_attendances(period: Period) -> QuerySet:
    return _attendances(period).filter(activity__kind=Activity.Kind.VOLUNTEER)


def _held_with_beneficiaries(period: Period) -> QuerySet:
    return _activities(period).filter(status__in=HELD, beneficiaries__gt=0)


def _counted_projects(period: Period) -> QuerySet:
    """Projects of the period's years that were put out (published or later), not archived."""
    return Project.objects.filter(year__in=list(period.years), archived_at__isnull=True).exclude(
        status=Project.Status.DRAFT
    )


def _public_welfare_claims(period: Period) -> QuerySet:
    return Claim.objects.filter(
        status=Claim.Status.ACTIVE,
        claimed_on__gte=period.start,
        claimed_on__lte=period.end,
        project__kind=Project.Kind.PUBLIC_WELFARE,
        project__archived_at__isnull=True,
    )


def _community_small_projects(period: Period) -> QuerySet:
    return _counted_projects(period).filter(level=Project.Level.COMMUNITY)


def _projects_in_programmes(period: Period) -> QuerySet:
    return _counted_projects(period).filter(programme__isnull=False)


def _unit_claimed(period: Period) -> QuerySet:
    return Claim.objects.filter(
        unit=OuterRef("pk"),
        status=Claim.Status.ACTIVE,
        claimed_on__gte=period.start,
        claimed_on__lte=period.end,
    )


def _unit_hosted(period: Period) -> QuerySet:
    return Activity.host_units.through.objects.filter(
        unit=OuterRef("pk"),
        activity__starts_at__gte=period.first_instant,
        activity__starts_at__lt=period.after_instant,
        activity__status__in=HELD,
    )


def _unit_attended(period: Period) -> QuerySet:
    return _attendances(period).filter(person__work_unit=OuterRef("pk"))


def _participating_units(period: Period) -> QuerySet:
    """Units with an active claim, a held activity they hosted, or a registered member of theirs
    checked in at an activity, in the period.

    Asked unit by unit (``EXISTS``), so a viewer's scope limits the work to its own units: a
    subdistrict's dashboard never reads the whole city's attendances (docs/scale.md)."""
    return Unit.objects.filter(
        Exists(_unit_claimed(period))
        | Exists(_unit_attended(period))
        | Exists(_unit_hosted(period))
    )


def _participating_units_tallied(period: Period) -> QuerySet:
    """The units of ``_participating_units``, with their people's check-ins in the whole months
    of the period read from the unit check-in tallies (a dozen rows per unit and year instead of
    every check-in), and those in the days at either end from the records."""
    whole_months, ends = period.whole_months()
    condition = Exists(_unit_claimed(period))
    units = Unit.objects.all()
    if whole_months:
        months = {"unit": OuterRef("pk"), "month__gte": whole_months[0],
                  "month__lte": whole_months[-1]}  # fmt: skip
        folded = UnitCheckInTally.objects.filter(check_ins__gt=0, **months)
        pending = UnitCheckInTallyChange.objects.filter(**months)

        def check_ins(model):
            return Coalesce(
                Subquery(
                    model.objects.filter(**months)
                    .order_by()
                    .values("unit")
                    .annotate(n=Sum("check_ins"))
                    .values("n")
                ),
                0,
            )

        # With no changes pending for the unit, its folded months are its check-ins (``EXISTS``,
        # which PostgreSQL may answer from one hash for many units); with some pending, the two
        # tables are added up for that unit.
        units = units.alias(
            check_ins=check_ins(UnitCheckInTally) + check_ins(UnitCheckInTallyChange)
        )
        condition |= (Exists(folded) & ~Exists(pending)) | (Exists(pending) & Q(check_ins__gt=0))
    for end in ends:
        condition |= Exists(_unit_attended(end))
    return units.filter(condition | Exists(_unit_hosted(period)))


def _project_participation(period: Period) -> QuerySet:
    """Check-ins at activities that belong to a Fumin project."""
    return _attendances(period).filter(activity__project__isnull=False)


COMMUNITY = {
    "grid": Dimension("community__parent_id", "community__parent__name"),
    "community": Dimension("community_id", "community__name"),
}
ACTIVITY_COMMUNITY = {
    "grid": Dimension("activity__community__parent_id", "activity__community__parent__name"),
    "community": Dimension("activity__community_id", "activity__community__name"),
}

KPIS: dict[str, Kpi] = {
    kpi.code: kpi
    for kpi in [
        Kpi(
            code="organisations_registered",
            label=_("organisations registered"),
            unit=_("organisations"),
            measure="distinct",
            counts=_(
                "Distinct unit and “two new” party organisations with a registration confirmed "
                "in the period."
            ),
            facts=_org_registrations,
            area_path="community__path",
            model=PartyOrg,
            distinct_field="party_org",
            dimensions={
                **COMMUNITY,
                "unit": Dimension("party_org__unit_id", "party_org__unit__name"),
            },
            month_field="confirmed_at",
            article_2020="97",
        ),
        Kpi(
            code="members_registered",
            label=_("in-service members registered"),
            unit=_("people"),
            measure="distinct",
            counts=_("Distinct people with a member registration confirmed in the period."),
            facts=_member_registrations,
            area_path="community__path",
            model=Person,
            distinct_field="person",
            dimensions={**COMMUNITY, "unit": Dimension("work_unit_id", "work_unit__name")},
            month_field="confirmed_at",
            article_2020="7,508",
        ),
        Kpi(
            code="pairing_activities",
            label=_("pairing activities"),
            unit=_("activities"),
            measure="rows",
            counts=_("Activities of kind pairing starting in the period and held (or closed)."),
            facts=_pairing_held,
            area_path="community__path",
            model=Activity,
            dimensions={**COMMUNITY, "unit": Dimension("host_units__id", "host_units__name")},
            month_field="starts_at",
            article_2020="64",
            tally=TallySum("activities", {"kind": Activity.Kind.PAIRING, "held": True}),
        ),
        Kpi(
            code="volunteer_projects_claimed",
            label=_("volunteer projects claimed"),
            unit=_("projects"),
            measure="distinct",
            counts=_(
                "Distinct public-welfare volunteer projects with at least one active claim made "
                "in the period."
            ),
            facts=_public_welfare_claims,
            area_path="project__owner_area__path",
            model=Project,
            distinct_field="project",
            dimensions={
                "unit": Dimension("unit_id", "unit__name"),
                "sector": Dimension(
                    "project__programme__sector_id", "project__programme__sector__name"
                ),
            },
            month_field="claimed_on",
            article_2020="57",
        ),
        Kpi(
            code="volunteer_person_times",
            label=_("volunteer person-times"),
            unit=_("person-times"),
            measure="rows",
            counts=_(
                "Check-ins at volunteer-service activities starting in the period: a person at "
                "two activities counts twice."
            ),
            facts=_volunteer_attendances,
            area_path="activity__community__path",
            model=Attendance,
            dimensions={
                **ACTIVITY_COMMUNITY,
                "unit": Dimension("person__work_unit_id", "person__work_unit__name"),
            },
            month_field="activity__starts_at",
            article_2020="667",
            tally=TallySum("check_ins", {"kind": Activity.Kind.VOLUNTEER}),
        ),
        Kpi(
            code="beneficiary_person_times",
            label=_("beneficiary person-times"),
            unit=_("person-times"),
            measure="sum",
            counts=_(
                "The sum of the beneficiaries recorded at closing on activities of any kind "
                "starting in the period and held."
            ),
            facts=_held_with_beneficiaries,
            area_path="community__path",
            model=Activity,
            sum_field="beneficiaries",
            dimensions=COMMUNITY,
            month_field="starts_at",
            article_2020="6,443",
            tally=TallySum("beneficiaries", {"held": True}),
        ),
        Kpi(
            code="community_small_projects",
            label=_("community small projects"),
            unit=_("projects"),
            measure="rows",
            counts=_(
                "Fumin small projects (community level) of the period's years, published or "
                "later, not archived."
            ),
            facts=_community_small_projects,
            area_path="owner_area__path",
            model=Project,
            dimensions={
                "grid": Dimension("owner_area__parent_id", "owner_area__parent__name"),
                "community": Dimension("owner_area_id", "owner_area__name"),
                "sector": Dimension("programme__sector_id", "programme__sector__name"),
            },
            article_2020="43",
        ),
        Kpi(
            code="sectors",
            label=_("sectors with projects"),
            unit=_("sectors"),
            measure="distinct",
            counts=_(
                "Sectors with at least one project (published or later) in the period's years."
            ),
            facts=_projects_in_programmes,
            area_path="owner_area__path",
            model=Sector,
            distinct_field="programme__sector",
            article_2020="6",
        ),
        Kpi(
            code="programmes",
            label=_("programmes with projects"),
            unit=_("programmes"),
            measure="distinct",
            counts=_(
                "Programmes with at least one project (published or later) in the period's years."
            ),
            facts=_projects_in_programmes,
            area_path="owner_area__path",
            model=Programme,
            distinct_field="programme",
            dimensions={"sector": Dimension("programme__sector_id", "programme__sector__name")},
            article_2020="20",
        ),
        Kpi(
            code="participating_units",
            label=_("participating units"),
            unit=_("units"),
            measure="rows",
            counts=_(
                "Distinct units with an active claim made in the period, a held activity they "
                "hosted, or a registered member of theirs checked in at an activity in the period."
            ),
            facts=_participating_units,
            tallied_facts=_participating_units_tallied,
            area_path="area__path",
            model=Unit,
            dimensions={
                "grid": Dimension("area__parent_id", "area__parent__name"),
                "community": Dimension("area_id", "area__name"),
            },
            article_2020="120",
        ),
        Kpi(
            code="people_reached",
            label=_("people reached by Fumin projects"),
            unit=_("person-times"),
            measure="rows",
            counts=_(
                "Check-ins at activities that belong to a Fumin project, starting in the period."
            ),
            facts=_project_participation,
            area_path="activity__community__path",
            model=Attendance,
            dimensions={
                **ACTIVITY_COMMUNITY,
                "sector": Dimension(
                    "activity__project__programme__sector_id",
                    "activity__project__programme__sector__name",
                ),
            },
            month_field="activity__starts_at",
            article_2020="10,000+",
            tally=TallySum("check_ins", {"in_project": True}),
        ),
    ]
}


def kpi(code: str) -> Kpi:
    return KPIS[code]


def measure_together(figures: list[list[QuerySet]]) -> list[int]:
    """The values of several figures in one query, one round trip to the database:
    ``SELECT (value 1), (value 2), …``. Each figure is given as one-row queries whose values add
    up to it: a KPI's aggregate over its facts (``Kpi._measure_query``), or its sums over the two
    tally tables (``tallies.sum_queries``)."""
    if not figures:
        return []
    parts, params = [], []
    for queries in figures:
        terms = []
        for query in queries:
            sql, part_params = query.query.sql_with_params()
            terms.append(f"COALESCE(({sql}), 0)")
            params.extend(part_params)
        parts.append(f"({' + '.join(terms)})")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The query's estimated cost is the sum of eleven, enough to start PostgreSQL's JIT
            # compiler: compiling takes longer than counting (seconds on a city's data).
            cursor.execute("SET LOCAL jit = off")
        # The parts are Django-compiled queries; every value in them is a parameter.
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(value or 0) for value in row]
