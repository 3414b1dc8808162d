"""The annual work summary: choose a year (and an area in scope), download the .docx draft."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.audit.services import audit_record
from fumin.kpis.selectors import kpi_areas
from fumin.kpis.summary import DOCX, annual_summary, summary_docx, summary_file_name


class SummaryForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        empty_label=_("All of my areas"),
        to_field_name="public_id",
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = kpi_areas(viewer=viewer).order_by("path")


@login_required
@require_capability(Capability.VIEW_AREAS)
def annual_summary_download(request):
    """Without a year, the form; with a good one, the document; with a bad one, the form again
    naming the field (400)."""
    if "year" not in request.GET:
        form = SummaryForm(initial={"year": timezone.localdate().year}, viewer=request.user)
        return render(request, "console/summary/form.html", {"form": form})
    form = SummaryForm(request.GET, viewer=request.user)
    if not form.is_valid():
        return render(request, "console/summary/form.html", {"form": form}, status=400)
    year, area = form.cleaned_data["year"], form.cleaned_data["area"]
    summary = annual_summary(viewer=request.user, year=year, area=area)
    audit_record(
        actor=request.user,
        action="export",
        target=area,
        request=request,
        note="annual summary",
        after={"year": year, "area": area.name if area else summary.area_name},
    )
    return FileResponse(
        summary_docx(summary),
        as_attachment=True,
        filename=summary_file_name(summary),
        content_type=DOCX,
    )
