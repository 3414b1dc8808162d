from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.audit.models import AuditEntry
from fumin.audit.selectors import audit_entry_list
from fumin.core.paging import paginate, query_without_page


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditEntry.Action.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_capability(Capability.VIEW_AUDIT)
def audit_index(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entry_list(
        viewer=request.user,
        text=filters.get("q", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    ).select_related("actor")
    context = {
        "form": form,
        "entries": paginate(request, entries),
        "query": query_without_page(request),
    }
    template = "console/audit/_table.html" if request.htmx else "console/audit/index.html"
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, template, context, status=status)
