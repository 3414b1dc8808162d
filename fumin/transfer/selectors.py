"""Reads of import jobs: a person sees the jobs they started, and only while they may import."""

from django.db.models import QuerySet

from fumin.accounts.scope import Capability, scope_of

from .models import ImportJob


def import_job_list(*, viewer) -> QuerySet[ImportJob]:
    if not scope_of(viewer).can(Capability.EDIT_REGISTRY):
        return ImportJob.objects.none()
    # The error list can be long; list pages leave it in the database.
    return ImportJob.objects.filter(created_by=viewer).defer("errors")


def import_job_get(*, viewer, public_id) -> ImportJob | None:
    if not scope_of(viewer).can(Capability.EDIT_REGISTRY):
        return None
    return ImportJob.objects.filter(created_by=viewer, public_id=public_id).first()
