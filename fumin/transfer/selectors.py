"""Reads of import jobs: a person sees the jobs they started, and only while they may import."""

from django.db.models import QuerySet

from fumin.accounts.scope import Capability, scope_of

from .models import ImportJob
from .registrations import may_import


def _may_import(viewer) -> bool:
    scope = scope_of(viewer)
    return scope.can(Capability.EDIT_REGISTRY) or may_import(scope)


def import_job_list(*, viewer) -> QuerySet[ImportJob]:
    if not _may_import(viewer):
        return ImportJob.objects.none()
    # The error list can be long; list pages leave it in the database.
    return ImportJob.objects.filter(created_by=viewer).defer("errors")


def import_job_get(*, viewer, public_id) -> ImportJob | None:
    if not _may_import(viewer):
        return None
    return ImportJob.objects.filter(created_by=viewer, public_id=public_id).first()
