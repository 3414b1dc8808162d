"""Suggestions: which resources (and units) could meet a need, and which needs a resource meets.

Every suggestion is a score in [0, 1] and the reasons that make it up; each reason's ``weight`` is
its part of the score, so the reasons always add up to the score. Five parts (see
docs/matching.md):

  category      the same category (full), or a related one named by the other side's words
  text          BM25-like similarity of the jieba words, rare words counting more (IDF over the
                inverted index ``ResourceTerm``), words of the need's title counting double
  area          same community > same grid > same subdistrict (or offered to all of it) > elsewhere
  availability  available today (or only later), and capacity against expected beneficiaries
  engagement    the unit's past work: active claims on projects of the same category, its people's
                attendances at activities in the need's community, activities it hosted there

Suggestions are computed on the fly; only decisions are stored (``Match``), and a decided pair —
accepted or declined — is never suggested again. Archived and expired resources, resources of
archived units and closed needs are never suggested.

Scale: candidates come from the index, never from a scan. The need's words are looked up in
``ResourceTerm`` with their document frequencies (one grouped query), the rarest ones (up to a
budget of postings) pick the few hundred best candidates in one grouped query, and a bounded
number of same-category resources near the need join them. Only those are scored in Python. A
suggestion for one need costs about ten queries whatever the size of the lists.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, FloatField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fumin.registry.models import PATH_STEP, Area, Unit

from .models import Category, Claim, Match, Need, Resource, ResourceTerm, Term
from .text import terms_of

# How much each part may add to the score (they sum to 1).
WEIGHTS = {"category": 0.25, "text": 0.40, "area": 0.15, "availability": 0.08, "engagement": 0.12}
RELATED_CATEGORY = 0.4  # a related category counts this much of a same one
AREA_NEARNESS = {"community": 1.0, "grid": 0.6, "subdistrict": 0.3, "elsewhere": 0.0}
TITLE_BOOST = 2.0  # a word of the need's title counts this many times a word of its description
BM25_K1 = 1.2
BM25_B = 0.5
# A resource covering this share of the need's weighted words gets the full text part.
TEXT_SATURATION = 0.6
# Where and when matter only as much as what: the area, availability and engagement parts are
# scaled by min(1, CONTEXT_FLOOR + CONTEXT_SLOPE × the text part): 30% for a resource sharing no
# word with the need, in full from a text part of 0.5.
CONTEXT_FLOOR = 0.3
CONTEXT_SLOPE = 1.4

# Candidate generation: bounded, index-driven.
TEXT_CANDIDATES = 250  # best resources by the rare words they share with the need
AREA_CANDIDATES = 50  # same-category resources near the need, whatever their words
POSTINGS_BUDGET = 10_000  # index rows the rare-word query may read
DF_CHUNK = 500  # words per document-frequency query (SQLite's variable limit)
NEED_CANDIDATES = 300  # the reverse view: needs scored for one resource
ACTIVE_NEED = (Need.Status.OPEN, Need.Status.MATCHED)


@dataclass(frozen=True)
class Reason:
    kind: str  # category | text | area | availability | engagement
    label: str  # for people, in the active language
    weight: float  # this reason's part of the score


@dataclass(frozen=True)
class Suggestion:
    """A resource (with its unit, if a unit offers it) suggested for a need."""

    resource: Resource
    score: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def unit(self):
        return self.resource.unit


@dataclass(frozen=True)
class NeedSuggestion:
    need: Need
    score: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class UnitSuggestion:
    """A unit suggested for a need for what it has done before, even without a listed resource."""

    unit: Unit
    score: float
    reasons: list[Reason] = field(default_factory=list)


def _noop(text: str) -> str:
    """Stands in for gettext while ranking: labels are only translated for what is shown."""
    return text


# Word statistics --------------------------------------------------------------------------------


def document_frequencies(terms) -> dict[str, int]:
    """How many resources (archived ones included: it is a statistic of the language) carry each
    of ``terms``, as ``Term`` keeps count. Words no resource has are left out."""
    terms = sorted(set(terms))
    out: dict[str, int] = {}
    for start in range(0, len(terms), DF_CHUNK):
        rows = Term.objects.filter(
            term__in=terms[start : start + DF_CHUNK], resources__gt=0
        ).values_list("term", "resources")
        out.update(rows)
    return out


def idf(df: int, total: int) -> float:
    """BM25's inverse document frequency: rare words weigh more; never negative."""
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


@dataclass
class _Query:
    """A need as matching reads it: its words, weighted, and where it is."""

    need: Need
    weights: dict[str, float]  # word → IDF × (title boost)
    total_weight: float
    ancestors: dict[int, Area]  # depth → the need's ancestor at that depth
    categories: dict[int, Category]


def _need_query(need: Need, df: dict[str, int], total: int, categories, ancestors) -> _Query:
    title = set(terms_of(need.title))
    weights = {}
    for term in need.terms.split():
        weights[term] = idf(df.get(term, 0), total) * (TITLE_BOOST if term in title else 1.0)
    # Words no resource has cannot be matched and are mostly the chatter of a description
    # ("不少", "越来越"): rarest of all, they would otherwise swamp the words that can match.
    matchable = sum(w for t, w in weights.items() if df.get(t))
    return _Query(
        need=need,
        weights=weights,
        total_weight=matchable or 1.0,
        ancestors=ancestors,
        categories=categories,
    )


def _ancestors(area: Area) -> dict[int, Area]:
    found = {a.depth: a for a in area.ancestors()}
    found[area.depth] = area
    return found


def _categories() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


def _keywords(category: Category) -> set[str]:
    return {w.strip().lower() for w in category.keywords.split() if w.strip()}


# Scoring one pair -------------------------------------------------------------------------------


@dataclass
class _Engagement:
    claims_same: int = 0
    claims_other: int = 0
    attendances: int = 0
    hosted: int = 0

    @property
    def value(self) -> float:
        points = self.claims_same + 0.3 * self.claims_other + 0.2 * self.attendances + self.hosted
        return min(1.0, points / 3)

    def reasons(self, community: Area, category: Category, _=_) -> list[tuple[str, float]]:
        """Labels with their share of the points, for the reasons shown."""
        parts = []
        if self.claims_same:
            parts.append(
                (
                    _("Claimed %(n)s project(s) on %(category)s")
                    % {"n": self.claims_same, "category": category.name},
                    self.claims_same,
                )
            )
        if self.claims_other:
            parts.append(
                (_("Claimed %(n)s other project(s)") % {"n": self.claims_other},
                 0.3 * self.claims_other)
            )  # fmt: skip
        if self.hosted:
            parts.append(
                (
                    _("Hosted %(n)s activity(ies) in %(community)s")
                    % {"n": self.hosted, "community": community.name},
                    self.hosted,
                )
            )
        if self.attendances:
            parts.append(
                (
                    _("Its people attended %(n)s time(s) in %(community)s")
                    % {"n": self.attendances, "community": community.name},
                    0.2 * self.attendances,
                )
            )
        return parts


def _category_part(query: _Query, resource: Resource, resource_terms: set[str], _=_):
    need = query.need
    if resource.category_id == need.category_id:
        return 1.0, _("Same category: %s") % need.category.name
    # Related: the resource speaks of the need's category, or the need of the resource's.
    need_category = query.categories.get(need.category_id) or need.category
    resource_category = query.categories.get(resource.category_id) or resource.category
    words = sorted(_keywords(need_category) & resource_terms) or sorted(
        _keywords(resource_category) & set(query.weights)
    )
    if words:
        return RELATED_CATEGORY, _("Related category: %(category)s (%(words)s)") % {
            "category": resource_category.name,
            "words": "、".join(words[:3]),
        }
    return 0.0, ""


def _text_part(query: _Query, resource_terms: set[str], average_length: float, _=_):
    shared = [t for t in query.weights if t in resource_terms]
    if not shared:
        return 0.0, "", []
    length = len(resource_terms) / (average_length or 1.0)
    saturation = (BM25_K1 + 1) / (1 + BM25_K1 * (1 - BM25_B + BM25_B * length))
    covered = sum(query.weights[t] for t in shared) / query.total_weight
    value = min(1.0, covered * saturation / TEXT_SATURATION)
    best = sorted(shared, key=lambda t: -query.weights[t])[:6]
    return value, _("Shared words: %s") % "、".join(best), shared


def _area_part(query: _Query, area: Area, _=_):
    """Nearness of ``area`` (the resource's) to the need's community, by their paths."""
    need_area = query.need.area
    common = 0
    for a, b in zip(need_area.path, area.path, strict=False):
        if a != b:
            break
        common += 1
    common_depth = common // PATH_STEP - 1  # depth of the deepest shared ancestor
    gap = need_area.depth - common_depth
    if gap <= 0:
        return AREA_NEARNESS["community"], _("In the same community: %s") % need_area.name
    shared = query.ancestors.get(common_depth)
    offered_to_all = area.depth == common_depth  # the resource is offered to a whole area
    if gap == 1:
        label = _("Offered to the whole grid: %s") if offered_to_all else _("In the same grid: %s")
        return AREA_NEARNESS["grid"], label % (shared.name if shared else area.name)
    if gap == 2 and (shared is None or shared.kind == Area.Kind.SUBDISTRICT):
        label = (
            _("Offered to the whole subdistrict: %s")
            if offered_to_all
            else _("In the same subdistrict: %s")
        )
        return AREA_NEARNESS["subdistrict"], label % (shared.name if shared else area.name)
    return AREA_NEARNESS["elsewhere"], ""


def _availability_part(need: Need, resource: Resource, today, _=_):
    labels = []
    day = str if _ is _noop else (lambda d: date_format(d, "SHORT_DATE_FORMAT"))
    if resource.available_from and resource.available_from > today:
        time_value = 0.3
        labels.append(_("Available from %s") % day(resource.available_from))
    else:
        time_value = 1.0
        if resource.available_until:
            labels.append(_("Available now, until %s") % day(resource.available_until))
        else:
            labels.append(_("Available now"))
    if resource.availability:
        labels.append(resource.availability)
    expected = need.expected_beneficiaries
    if resource.capacity and expected:
        capacity_value = min(1.0, resource.capacity / expected)
        if capacity_value >= 1:
            labels.append(
                _("capacity %(capacity)s covers the %(expected)s expected")
                % {"capacity": resource.capacity, "expected": expected}
            )
        else:
            labels.append(
                _("capacity %(capacity)s of the %(expected)s expected")
                % {"capacity": resource.capacity, "expected": expected}
            )
    else:
        capacity_value = 0.7  # unknown: neither a promise nor a shortfall
    # The separator follows the language: "; " in English, "；" in Chinese.
    return 0.6 * time_value + 0.4 * capacity_value, pgettext("list separator", "; ").join(labels)


def _score(query, resource, resource_terms, average_length, engagement, today, labels=True):
    """The pair's score and its reasons. ``labels=False`` ranks without translating labels
    (the same weights, empty labels): only the suggestions shown need their words."""
    need = query.need
    reasons = []
    tr = _ if labels else _noop

    def add(kind, value, label, scale=1.0):
        weight = round(WEIGHTS[kind] * value * scale, 4)
        if weight > 0 and label:
            reasons.append(Reason(kind, label, weight))

    add("category", *_category_part(query, resource, resource_terms, tr))
    text_value, text_label, _shared = _text_part(query, resource_terms, average_length, tr)
    add("text", text_value, text_label)
    context = min(1.0, CONTEXT_FLOOR + CONTEXT_SLOPE * text_value)
    add("area", *_area_part(query, resource.area, tr), scale=context)
    add("availability", *_availability_part(need, resource, today, tr), scale=context)
    if engagement is not None and engagement.value > 0:
        parts = engagement.reasons(need.area, need.category, tr)
        points = sum(p for _label, p in parts) or 1.0
        total = WEIGHTS["engagement"] * engagement.value * context
        for label, p in parts:
            reasons.append(Reason("engagement", label, round(total * p / points, 4)))
    return round(sum(r.weight for r in reasons), 4), reasons


# Engagement -------------------------------------------------------------------------------------


def _engagement(unit_ids, category_id, community_ids) -> dict[tuple[int, int], _Engagement]:
    """(unit, community) → what the unit did: claims (by category, whatever the community),
    attendances of its people and activities it hosted (in each community). Three queries."""
    from fumin.activities.models import Activity, Attendance

    out: dict[tuple[int, int], _Engagement] = defaultdict(_Engagement)
    unit_ids = list(unit_ids)
    community_ids = list(community_ids)
    if not unit_ids:
        return out
    same = Q(project__needs__category_id=category_id) | Q(
        project__resources__category_id=category_id
    )
    claims = (
        Claim.objects.filter(unit_id__in=unit_ids, status=Claim.Status.ACTIVE)
        .values("unit_id")
        .annotate(
            total=Count("id", distinct=True),
            same=Count("id", filter=same, distinct=True),
        )
        .order_by()
    )
    by_unit = {row["unit_id"]: row for row in claims}
    for unit_id in unit_ids:
        row = by_unit.get(unit_id)
        if row:
            for community_id in community_ids:
                e = out[(unit_id, community_id)]
                e.claims_same = row["same"]
                e.claims_other = row["total"] - row["same"]
    attended = (
        Attendance.objects.filter(
            person__work_unit_id__in=unit_ids,
            activity__community_id__in=community_ids,
            checked_in_at__isnull=False,
        )
        .values_list("person__work_unit_id", "activity__community_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, community_id, n in attended:
        out[(unit_id, community_id)].attendances = n
    hosted = (
        Activity.host_units.through.objects.filter(
            unit_id__in=unit_ids,
            activity__community_id__in=community_ids,
            activity__status__in=(Activity.Status.HELD, Activity.Status.CLOSED),
        )
        .values_list("unit_id", "activity__community_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, community_id, n in hosted:
        out[(unit_id, community_id)].hosted = n
    return out


# Resources for a need ---------------------------------------------------------------------------


def _suggestible(today, prefix: str = "") -> Q:
    """Resources that may be suggested: not archived, not expired, not of an archived unit."""
    return (
        Q(**{f"{prefix}archived_at__isnull": True})
        & (Q(**{f"{prefix}available_until__isnull": True})
           | Q(**{f"{prefix}available_until__gte": today}))
        & (Q(**{f"{prefix}unit__isnull": True}) | Q(**{f"{prefix}unit__archived_at__isnull": True}))
    )  # fmt: skip


def _rare_terms(weights: dict[str, float], df: dict[str, int]) -> list[str]:
    """The need's words that pick candidates: the rarest first, as many as the postings budget
    allows (always at least one word that some resource has)."""
    chosen, postings = [], 0
    for term in sorted((t for t in weights if df.get(t)), key=lambda t: (df[t], t)):
        if chosen and postings + df[term] > POSTINGS_BUDGET:
            continue
        chosen.append(term)
        postings += df[term]
    return chosen


def _decided_resources(need: Need):
    return Match.objects.filter(need=need, resource__isnull=False).values("resource_id")


LEAN_FIELDS = (
    "id", "category_id", "unit_id", "area_id", "area__path", "area__depth", "area__name",
    "area__kind", "capacity", "availability", "available_from", "available_until", "terms",
)  # fmt: skip


def _candidate_ids(query: _Query, df: dict[str, int], today) -> list[int]:
    need = query.need
    decided = _decided_resources(need)
    ids: list[int] = []
    rare = _rare_terms(query.weights, df)
    if rare:
        weight = Case(
            *[When(term=t, then=Value(query.weights[t])) for t in rare],
            default=Value(0.0),
            output_field=FloatField(),
        )
        # The index alone (term, resource): no join, so the cost is the postings read.
        rows = (
            ResourceTerm.objects.filter(term__in=rare)
            .values("resource_id")
            .annotate(rank=Sum(weight))
            .order_by("-rank", "-resource_id")
            .values_list("resource_id", flat=True)[:TEXT_CANDIDATES]
        )
        ids.extend(rows)
    # Same category, near the need (its grid, or offered to the grid, subdistrict or above).
    grid_path = need.area.path[:-PATH_STEP]
    above = [need.area.path[:end] for end in range(PATH_STEP, len(grid_path), PATH_STEP)]
    near = (
        Resource.objects.filter(_suggestible(today), category_id=need.category_id)
        .filter(
            area_id__in=Area.objects.filter(
                Q(path__startswith=grid_path) | Q(path__in=above)
            ).values("pk")
        )
        .exclude(pk__in=decided)
        .order_by("-pk")
        .values_list("pk", flat=True)[:AREA_CANDIDATES]
    )
    ids.extend(near)
    return list(dict.fromkeys(ids))


def suggest_for_need(need: Need, *, limit: int = 10) -> list[Suggestion]:
    """The resources that could meet ``need``, best first, with the reasons of each score."""
    if not need.is_active:
        return []
    today = timezone.localdate()
    terms = need.terms.split()
    total = Resource.objects.count()
    df = document_frequencies(terms)
    query = _need_query(need, df, total, _categories(), _ancestors(need.area))
    ids = _candidate_ids(query, df, today)
    if not ids:
        return []
    # Rank lean rows first (the filters the index query left out apply here), then load and
    # label only the suggestions shown.
    lean = list(
        Resource.objects.filter(_suggestible(today), pk__in=ids)
        .exclude(pk__in=_decided_resources(need))
        .select_related("area")
        .only(*LEAN_FIELDS)
    )
    if not lean:
        return []
    term_sets = {r.pk: set(r.terms.split()) for r in lean}
    average_length = sum(map(len, term_sets.values())) / len(term_sets)
    ranked = [
        (_score(query, r, term_sets[r.pk], average_length, None, today, labels=False)[0], r)
        for r in lean
    ]
    # Engagement only adds, at most its weight: a resource that cannot reach the ``limit``-th
    # best score even with all of it is not worth the engagement queries.
    ranked.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    bar = ranked[min(limit, len(ranked)) - 1][0] - WEIGHTS["engagement"]
    shortlist = [r for score, r in ranked if score >= bar]
    engagement = _engagement(
        {r.unit_id for r in shortlist if r.unit_id}, need.category_id, [need.area_id]
    )
    final = sorted(
        shortlist,
        key=lambda r: (
            -_score(
                query, r, term_sets[r.pk], average_length,
                engagement.get((r.unit_id, need.area_id)), today, labels=False,
            )[0],
            -r.pk,
        ),
    )[:limit]  # fmt: skip
    full = Resource.objects.select_related("unit", "person", "category", "area").in_bulk(
        [r.pk for r in final]
    )
    suggestions = []
    for r in final:
        resource = full[r.pk]
        score, reasons = _score(
            query, resource, term_sets[r.pk], average_length,
            engagement.get((r.unit_id, need.area_id)), today,
        )  # fmt: skip
        suggestions.append(Suggestion(resource, score, reasons))
    suggestions.sort(key=lambda s: (-s.score, -s.resource.pk))
    return suggestions


# Needs for a resource ---------------------------------------------------------------------------


def suggest_for_resource(resource: Resource, *, limit: int = 10) -> list[NeedSuggestion]:
    """The reverse view: the open needs ``resource`` could meet, scored as the forward view
    scores the same pair (the same parts, the same weights)."""
    today = timezone.localdate()
    if resource.archived_at is not None or (
        resource.available_until and resource.available_until < today
    ):
        return []
    decided = Match.objects.filter(resource=resource).values("need_id")
    resource_terms = set(resource.terms.split())
    total = Resource.objects.count()
    df = document_frequencies(resource_terms)
    # Candidates: the same category, or sharing one of the resource's rarer words.
    rare = sorted((t for t in resource_terms if df.get(t)), key=lambda t: (df[t], t))[:8]
    words = Q()
    for term in rare:
        words |= Q(terms__contains=term)
    needs = list(
        Need.objects.filter(status__in=ACTIVE_NEED)
        .filter(Q(category_id=resource.category_id) | words)
        .exclude(pk__in=decided)
        .select_related("category", "area")
        .order_by("-created_at", "-pk")[:NEED_CANDIDATES]
    )
    if not needs:
        return []
    need_terms = {n.pk: n.terms.split() for n in needs}
    df.update(document_frequencies({t for ts in need_terms.values() for t in ts} - set(df)))
    categories = _categories()
    area_ids = {n.area_id for n in needs}
    ancestors_by_path = {a.path: a for a in Area.objects.filter(path__in=_prefixes(needs))}
    engagement = (
        _engagement([resource.unit_id], resource.category_id, area_ids) if resource.unit_id else {}
    )
    average_length = max(len(resource_terms), 1)
    out = []
    for need in needs:
        ancestors = {
            a.depth: a for p, a in ancestors_by_path.items() if need.area.path.startswith(p)
        }
        ancestors[need.area.depth] = need.area
        query = _need_query(need, df, total, categories, ancestors)
        # The engagement's category is the need's: claims on projects of the need's category.
        unit_engagement = engagement.get((resource.unit_id, need.area_id))
        if unit_engagement is not None and need.category_id != resource.category_id:
            unit_engagement = _Engagement(
                claims_same=0,
                claims_other=unit_engagement.claims_same + unit_engagement.claims_other,
                attendances=unit_engagement.attendances,
                hosted=unit_engagement.hosted,
            )
        score, _reasons = _score(
            query, resource, resource_terms, average_length, unit_engagement, today, labels=False
        )
        out.append((score, need, query, unit_engagement))
    out.sort(key=lambda item: (-item[0], -item[1].pk))
    suggestions = []
    for _score_value, need, query, unit_engagement in out[:limit]:
        score, reasons = _score(
            query, resource, resource_terms, average_length, unit_engagement, today
        )
        suggestions.append(NeedSuggestion(need, score, reasons))
    return suggestions


def _prefixes(needs) -> set[str]:
    return {
        n.area.path[:end] for n in needs for end in range(PATH_STEP, len(n.area.path), PATH_STEP)
    }


# Units for a need -------------------------------------------------------------------------------

UNIT_CANDIDATES = 100


def suggest_units_for_need(need: Need, *, limit: int = 5) -> list[UnitSuggestion]:
    """Units that could take ``need`` on for what they have done before — claims on projects of
    the same category, their people's attendances and the activities they hosted in the need's
    community — even when they have listed no resource. Units already decided on for the need
    (without a resource) are left out, as are archived ones."""
    from fumin.activities.models import Activity, Attendance

    if not need.is_active:
        return []
    decided = Match.objects.filter(need=need, resource__isnull=True).values("unit_id")
    same = Q(project__needs__category_id=need.category_id) | Q(
        project__resources__category_id=need.category_id
    )
    claimed = (
        Claim.objects.filter(same, status=Claim.Status.ACTIVE)
        .values("unit_id")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n")
        .values_list("unit_id", flat=True)[:UNIT_CANDIDATES]
    )
    attended = (
        Attendance.objects.filter(
            activity__community_id=need.area_id,
            checked_in_at__isnull=False,
            person__work_unit__isnull=False,
        )
        .values("person__work_unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("person__work_unit_id", flat=True)[:UNIT_CANDIDATES]
    )
    hosted = (
        Activity.host_units.through.objects.filter(
            activity__community_id=need.area_id,
            activity__status__in=(Activity.Status.HELD, Activity.Status.CLOSED),
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("unit_id", flat=True)[:UNIT_CANDIDATES]
    )
    units = list(
        Unit.objects.filter(Q(pk__in=claimed) | Q(pk__in=attended) | Q(pk__in=hosted))
        .filter(archived_at__isnull=True)
        .exclude(pk__in=decided)
        .select_related("area")
    )
    if not units:
        return []
    engagement = _engagement([u.pk for u in units], need.category_id, [need.area_id])
    query = _Query(
        need=need,
        weights={},
        total_weight=1.0,
        ancestors=_ancestors(need.area),
        categories={},
    )
    out = []
    for unit in units:
        e = engagement.get((unit.pk, need.area_id), _Engagement())
        reasons = []
        parts = e.reasons(need.area, need.category)
        points = sum(p for _label, p in parts) or 1.0
        # For units, engagement is the main evidence: it takes the text's and category's share.
        share = WEIGHTS["engagement"] + WEIGHTS["text"] + WEIGHTS["category"]
        for label, p in parts:
            reasons.append(Reason("engagement", label, round(share * e.value * p / points, 4)))
        nearness, label = _area_part(query, unit.area)
        if nearness > 0 and label:
            reasons.append(Reason("area", label, round(WEIGHTS["area"] * nearness, 4)))
        if not reasons:
            continue
        out.append(UnitSuggestion(unit, round(sum(r.weight for r in reasons), 4), reasons))
    out.sort(key=lambda s: (-s.score, s.unit.pk))
    return out[:limit]
