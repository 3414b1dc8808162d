"""Excel import and export pages: upload a file, follow its job, download templates and exports."""

import tempfile

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.transfer.columns import SPECS
from fumin.transfer.models import ImportJob, error_reason
from fumin.transfer.reading import MAX_UPLOAD_MB, FileProblem, check_upload
from fumin.transfer.selectors import import_job_get, import_job_list
from fumin.transfer.services import EXPORTERS, export_workbook, import_job_create, importable_kinds
from fumin.transfer.workbooks import template_file_name, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("Excel file"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in ImportJob.Kind.choices if c[0] in kinds]
        self.fields["file"].help_text = gettext(
            "An .xlsx file made from the template, up to %(limit)d MB."
        ) % {"limit": MAX_UPLOAD_MB}

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        self.total_rows = 0
        if upload and kind:
            try:
                self.total_rows = check_upload(upload, SPECS[kind])
            except FileProblem as problem:
                self.add_error("file", str(problem))
        return data


@require_http_methods(["GET", "POST"])
@require_capability(Capability.CONSOLE)
def import_start(request):
    """The import and export page; a POST uploads a file and starts its import job."""
    scope = scope_of(request.user)
    kinds = importable_kinds(request.user)
    can_import = bool(kinds)
    wanted = request.GET.get("kind", ImportJob.Kind.PEOPLE)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        initial={"kind": wanted if wanted in kinds else (kinds or [""])[0]},
    )
    if request.method == "POST":
        if request.POST.get("kind") not in kinds:
            raise PermissionDenied
        if form.is_valid():
            job = import_job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                total_rows=form.total_rows,
            )
            return redirect("console:import_job", public_id=job.public_id)
    context = {
        "form": form,
        "can_import": can_import,
        "can_unmask": scope.can(Capability.UNMASK_PERSONAL_DATA),
        "jobs": import_job_list(viewer=request.user)[:10],
        "kinds": [choice for choice in ImportJob.Kind.choices if choice[0] in kinds],
        "export_kinds": [choice for choice in ImportJob.Kind.choices if choice[0] in EXPORTERS],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "console/transfer/index.html", context, status=status)


@require_capability(Capability.CONSOLE)
def import_job(request, public_id):
    """One job: its progress while it runs (HTMX polls the partial), then its outcome."""
    job = import_job_get(viewer=request.user, public_id=public_id)
    if job is None:
        raise Http404
    page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    errors = [
        {"row": row, "column": column, "reason": error_reason(message, params)}
        for row, column, message, params in page
    ]
    context = {"job": job, "errors": errors, "page": page}
    template = "console/transfer/_job.html" if request.htmx else "console/transfer/job.html"
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def import_template(request, kind):
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404
    if kind not in importable_kinds(request.user):
        raise PermissionDenied
    response = FileResponse(
        _saved(template_workbook(spec)),
        as_attachment=True,
        filename=template_file_name(spec),
        content_type=XLSX,
    )
    return response


@require_http_methods(["GET", "POST"])
@require_capability(Capability.CONSOLE)
def export_download(request, kind):
    """What the viewer can see of ``kind`` as .xlsx, filtered by ``q`` and ``kind``.

    Masked by default. The unmasked file needs the right and a POST (a deliberate act, never a
    link that a page could make the browser follow); both are written to the audit log.
    """
    if kind not in EXPORTERS:
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    output, name, _count = export_workbook(
        viewer=request.user,
        kind=kind,
        text=params.get("q", "").strip(),
        kind_filter=params.get("kind", "").strip(),
        unmasked=request.method == "POST" and params.get("unmasked") == "1",
        request=request,
    )
    return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX)


def _saved(workbook):
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    return output
