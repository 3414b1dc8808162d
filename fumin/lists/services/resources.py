"""Resources offered by units, members and subdistrict departments, and the word index that
matching reads."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change
from fumin.core.changes import apply_changes
from fumin.registry.models import Area, Person, Unit

from ..models import (
    Category,
    Need,
    Resource,
    ResourceTerm,
    Term,
)
from ..text import terms_of
from .needs import (
    check_category,
)
from .rules import (
    RESOURCE_FIELDS,
    clean_text,
    may_edit_resource,
)


def _index_resource(resource: Resource) -> None:
    """Keep the resource's words, its rows in the inverted index and the words' document
    frequencies (``Term``) in step with its text."""
    terms = terms_of(f"{resource.title} {resource.description} {resource.availability}")
    resource.terms = " ".join(terms)
    old = set(ResourceTerm.objects.filter(resource=resource).values_list("term", flat=True))
    added, removed = sorted(set(terms) - old), sorted(old - set(terms))
    if removed:
        ResourceTerm.objects.filter(resource=resource, term__in=removed).delete()
        Term.objects.filter(term__in=removed, resources__gt=0).update(resources=F("resources") - 1)
    if added:
        ResourceTerm.objects.bulk_create([ResourceTerm(resource=resource, term=t) for t in added])
        Term.objects.bulk_create([Term(term=t) for t in added], ignore_conflicts=True)
        Term.objects.filter(term__in=added).update(resources=F("resources") + 1)


@transaction.atomic
def term_counts_rebuild() -> int:
    """Recount every word's document frequency from the inverted index (after a reindex or a
    bulk load). Returns the number of distinct words."""
    Term.objects.all().delete()
    counts = ResourceTerm.objects.values_list("term").annotate(n=Count("id")).order_by()
    Term.objects.bulk_create(
        (Term(term=term, resources=n) for term, n in counts.iterator(chunk_size=5000)),
        batch_size=5000,
    )
    return Term.objects.count()


def lists_reindex(*, batch_size: int = 1000) -> tuple[int, int]:
    """Recompute the words of every need and resource and the inverted index, after the rules of
    ``fumin.lists.text`` changed (``manage.py reindex_lists``). Only rows whose words change are
    written; one transaction per batch. Returns (needs changed, resources changed)."""
    needs_changed = resources_changed = 0
    last = 0
    while True:
        with transaction.atomic():
            needs = list(
                Need.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "title", "description", "terms")[:batch_size]
            )
            if not needs:
                break
            changed = []
            for need in needs:
                terms = " ".join(terms_of(f"{need.title} {need.description}"))
                if terms != need.terms:
                    need.terms = terms
                    changed.append(need)
            Need.objects.bulk_update(changed, ["terms"])
            needs_changed += len(changed)
            last = needs[-1].pk
    last = 0
    while True:
        with transaction.atomic():
            resources = list(
                Resource.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "title", "description", "availability", "terms")[:batch_size]
            )
            if not resources:
                break
            changed, rows = [], []
            for resource in resources:
                terms = terms_of(f"{resource.title} {resource.description} {resource.availability}")
                if " ".join(terms) != resource.terms:
                    resource.terms = " ".join(terms)
                    changed.append(resource)
                    rows.extend(ResourceTerm(resource=resource, term=term) for term in terms)
            if changed:
                ResourceTerm.objects.filter(resource__in=[r.pk for r in changed]).delete()
                ResourceTerm.objects.bulk_create(rows, batch_size=5000)
                Resource.objects.bulk_update(changed, ["terms"])
            resources_changed += len(changed)
            last = resources[-1].pk
    term_counts_rebuild()
    return needs_changed, resources_changed


@transaction.atomic
def resource_create(
    *,
    actor,
    title: str,
    kind: str,
    category: Category,
    area: Area | None = None,
    unit: Unit | None = None,
    person: Person | None = None,
    department: str = "",
    request=None,
    **fields,
) -> Resource:
    """A resource offered by a unit, a registered member or a subdistrict department.

    The provider follows from what is given; ``area`` defaults to where the provider is.
    """
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    given = [
        name
        for name, value in (
            ("unit", unit),
            ("person", person),
            ("department", clean_text(department)),
        )
        if value
    ]
    if len(given) != 1:
        raise ValidationError(
            {"provider": _("Say who offers the resource: one unit, one member or one department.")}
        )
    provider = {
        "unit": Resource.Provider.UNIT,
        "person": Resource.Provider.MEMBER,
        "department": Resource.Provider.DEPARTMENT,
    }[given[0]]
    if area is None:
        area = unit.area if unit else person.home_community if person else None
    if area is None:
        raise ValidationError({"area": _("Choose where the resource is.")})
    resource = Resource(
        title=clean_text(title),
        kind=kind,
        category=category,
        provider=provider,
        unit=unit,
        person=person,
        department=clean_text(department),
        area=area,
        **fields,
    )
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    check_category(category)
    resource.full_clean(exclude=["terms"])
    resource.save()
    _index_resource(resource)
    resource.save(update_fields=["terms"])
    audit_change(
        actor=actor,
        action="create",
        target=resource,
        request=request,
        after={"title": resource.title, "kind": kind, "provider": resource.provider_name},
    )
    return resource


@transaction.atomic
def resource_update(*, actor, resource: Resource, request=None, **data) -> Resource:
    unknown = set(data) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    if "category" in data:
        check_category(data["category"])
    for key in ("title", "description", "availability"):
        if key in data:
            data[key] = clean_text(data[key])
    before, after = apply_changes(resource, data, exclude_from_clean=["terms"])
    if {"title", "description", "availability"} & set(after):
        _index_resource(resource)
        resource.save(update_fields=["terms"])
    if after:
        audit_change(
            actor=actor,
            action="update",
            target=resource,
            before=before,
            after=after,
            request=request,
        )
    return resource


@transaction.atomic
def resource_archive(*, actor, resource: Resource, request=None) -> Resource:
    """Withdraw a resource: it is no longer suggested; projects that used it keep the link."""
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    if resource.archived_at is None:
        resource.archived_at = timezone.now()
        resource.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action="archive", target=resource, request=request)
    return resource
