"""Import jobs and exports: the writes of the transfer pages, tasks and benchmark.

The records themselves are written by the registry's bulk services
(``fumin.registry.services.*_import_apply``); this module runs the job around them.
"""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from fumin.accounts.scope import Capability, scope_of
from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record

from . import cells, party_orgs, people, registrations, units
from .columns import SPECS
from .importing import Counts, Importer
from .models import ImportJob
from .reading import EMPTY, FileProblem, estimate_rows, open_workbook, read_headers
from .tasks import run_import
from .workbooks import export_file, export_file_name

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {
    "units": units.UnitImporter,
    "party_orgs": party_orgs.PartyOrgImporter,
    "people": people.PersonImporter,
    "member_registrations": registrations.MemberRegistrationImporter,
}
EXPORTERS = {
    "units": units.export_rows,
    "party_orgs": party_orgs.export_rows,
    "people": people.export_rows,
}


def importable_kinds(viewer) -> list[str]:
    """The kinds of file ``viewer`` may import: every kind with registry rights; a unit liaison,
    only their members' registrations."""
    scope = scope_of(viewer)
    if scope.can(Capability.EDIT_REGISTRY):
        return list(IMPORTERS)
    if registrations.may_import(scope):
        return ["member_registrations"]
    return []


def import_job_create(*, actor, kind: str, upload, total_rows: int = 0) -> ImportJob:
    """Keep the uploaded file and queue its import, once this transaction commits.

    The view has already checked the file (``reading.check_upload``).
    """
    if kind not in IMPORTERS:
        raise ValueError(kind)
    if kind not in importable_kinds(actor):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            created_by=actor,
            file_name=(getattr(upload, "name", "") or "")[:255],
            total_rows=total_rows,
        )
        # Named by the job's id: the uploaded name may hold a person's name.
        job.file.save(f"{job.public_id}.xlsx", upload, save=False)
        job.save()
        transaction.on_commit(partial(run_import.enqueue, job.pk))
    return job


class _Rejected(Exception):
    """Some rows are bad: roll back (nothing was written) and report them."""


def import_job_run(*, job_id: int) -> str:
    """Check every row of the job's file, then apply all of it or none. Returns the status.

    Progress is saved every thousand rows while the rows are checked, outside any transaction,
    so the job page can show it. The plan and the writes then run in one transaction; while it
    runs the page says the rows are being written (progress cannot be saved from inside it).
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job.status  # already run: a retried task must not import twice
    importer = IMPORTERS[job.kind](actor=job.created_by)
    counts, errors = None, []
    try:
        counts = _import(job, importer)
    except _Rejected:
        errors = importer.errors
    except FileProblem as problem:
        errors = [[0, "", problem.message, problem.params or None]]
    except PermissionDenied:
        errors = [[0, "", cells.NOT_ALLOWED, None]]
    except IntegrityError:
        logger.warning("Import job %s collided with a concurrent change", job.pk, exc_info=True)
        errors = [[0, "", cells.CHANGED_MEANWHILE, None]]
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        errors = [[0, "", cells.UNEXPECTED, None]]
    finally:
        _delete_file(job)
    return _finish(job, counts, errors)


def _import(job: ImportJob, importer: Importer) -> Counts:
    if not importer.allowed:
        raise PermissionDenied
    with job.file.open("rb") as handle:
        workbook = open_workbook(handle)
        try:
            sheet = workbook.worksheets[0]
            total = estimate_rows(workbook, sheet) or job.total_rows
            _progress(job, 0, total)
            rows = sheet.iter_rows(values_only=True)
            keys = read_headers(rows, importer.spec)
            count = importer.read(rows, keys, lambda done: _progress(job, done, max(total, done)))
        finally:
            workbook.close()
    if not count:
        raise FileProblem(EMPTY)
    _progress(job, count, count)  # every row checked: the page now says "writing"
    with transaction.atomic():
        plan = importer.plan()
        importer.rows = []  # planned: the parsed rows are no longer needed, free their memory
        if importer.errors:
            raise _Rejected
        return importer.apply(plan, source=job)


def _progress(job: ImportJob, done: int, total: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)


def _delete_file(job: ImportJob) -> None:
    """The upload may hold ID numbers in plain text: it is not kept once the job has run."""
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("Could not delete the file of import job %s", job.pk, exc_info=True)


def _finish(job: ImportJob, counts: Counts | None, errors: list) -> str:
    order = {header: index for index, header in enumerate(SPECS[job.kind].headers)}
    errors.sort(key=lambda error: (error[0], order.get(error[1], -1)))
    fields = {
        "status": ImportJob.Status.DONE if counts else ImportJob.Status.FAILED,
        "errors": errors,
        "file": "",
        "finished_at": timezone.now(),
    }
    if counts:
        fields.update(
            created_count=counts.created,
            updated_count=counts.updated,
            unchanged_count=counts.unchanged,
        )
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    return fields["status"]


def export_workbook(
    *, viewer, kind: str, text: str = "", kind_filter: str = "", unmasked=False, request=None
):
    """The records of ``kind`` the viewer can see, as an .xlsx; always written to the audit log.

    Mobile and ID numbers (and units' contact phones) are masked unless ``unmasked``, which needs
    the right to unmask personal data. Returns (open file, file name, row count).
    """
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE) or kind not in EXPORTERS:
        raise PermissionDenied
    if unmasked and not scope.can(Capability.UNMASK_PERSONAL_DATA):
        raise PermissionDenied
    spec = SPECS[kind]
    rows = EXPORTERS[kind](viewer=viewer, text=text, kind=kind_filter, unmask=unmasked)
    output, count = export_file(spec, rows)
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.EXPORT,
        request=request,
        after={
            "kind": kind,
            "rows": count,
            "unmasked": bool(unmasked),
            "q": text or None,
            "filter": kind_filter or None,
        },
        note=f"export of {kind}: {count} rows, {'unmasked' if unmasked else 'masked'}",
    )
    return output, export_file_name(spec, unmasked=unmasked), count
