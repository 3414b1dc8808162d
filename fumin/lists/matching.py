"""Suggestions: which resources (and units) could meet a need, and which needs a resource meets.

INTERIM VERSION: a plain category + shared-words ranking, to be replaced by the scored engine
(see bench/matching.py). The interface below is what the pages and the API use.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Match, Need, Resource


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


def suggest_for_need(need: Need, *, limit: int = 10) -> list[Suggestion]:
    decided = Match.objects.filter(need=need, resource__isnull=False).values("resource_id")
    terms = set(need.terms.split())
    candidates = (
        Resource.objects.filter(archived_at__isnull=True)
        .exclude(pk__in=decided)
        .filter(category=need.category)
        .select_related("unit", "category", "area")[:500]
    )
    suggestions = []
    for resource in candidates:
        shared = terms & set(resource.terms.split())
        reasons = [Reason("category", _("Same category: %s") % need.category.name, 0.4)]
        if shared:
            reasons.append(Reason("text", _("Shared words: %s") % "、".join(sorted(shared)), 0.6))
        score = sum(r.weight for r in reasons)
        suggestions.append(Suggestion(resource, score, reasons))
    suggestions.sort(key=lambda s: -s.score)
    return suggestions[:limit]


def suggest_for_resource(resource: Resource, *, limit: int = 10) -> list[NeedSuggestion]:
    decided = Match.objects.filter(resource=resource).values("need_id")
    terms = set(resource.terms.split())
    needs = (
        Need.objects.filter(status__in=(Need.Status.OPEN, Need.Status.MATCHED))
        .exclude(pk__in=decided)
        .filter(category=resource.category)
        .select_related("category", "area")[:500]
    )
    out = []
    for need in needs:
        shared = terms & set(need.terms.split())
        reasons = [Reason("category", _("Same category: %s") % need.category.name, 0.4)]
        if shared:
            reasons.append(Reason("text", _("Shared words: %s") % "、".join(sorted(shared)), 0.6))
        out.append(NeedSuggestion(need, sum(r.weight for r in reasons), reasons))
    out.sort(key=lambda s: -s.score)
    return out[:limit]
