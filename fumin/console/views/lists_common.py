"""What the console pages of the three lists share: looking records up by public id, putting a
service's ``ValidationError`` on a form or into lines naming the field, the Excel export, and the
suggestion a person decides on."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fumin.audit.services import audit_record
from fumin.core.errors import error_lines as core_error_lines
from fumin.lists import matching
from fumin.lists.models import Category, Claim, Need, Project, Resource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def found_or_404(record):
    if record is None:
        raise Http404
    return record


def one_of(queryset, public_id):
    """The row of ``queryset`` with this public id (a scoped selector's result), or None."""
    if not public_id or not is_uuid(public_id):
        return None
    return queryset.filter(public_id=public_id).first()


def text_category_community_filters(request, communities) -> dict:
    """The filters the needs and resources lists share: text, category, community."""
    community_id = request.GET.get("community", "")
    community = one_of(communities, community_id)
    code = request.GET.get("category", "")
    categories = list(Category.objects.all())
    category = next((c for c in categories if c.code == code), None)
    return {
        "q": request.GET.get("q", "").strip(),
        "category": category,
        "category_code": category.code if category else "",
        "categories": categories,
        "community": community,
        "community_id": community_id if community else "",
        "communities": communities,
    }


def pick(choices, value: str) -> str:
    """``value`` if it is one of the ``TextChoices``, else ''."""
    return value if value in choices.values else ""


def _label(field: str) -> str:
    for model in (Need, Resource, Project, Claim):
        try:
            return str(model._meta.get_field(field).verbose_name)
        except Exception:  # noqa: S112 - not a field of this model, try the next
            continue
    return {"reason": _("reason"), "note": _("note")}.get(field, field)


def error_lines(error: ValidationError) -> list[str]:
    """``field: message`` lines, with the field's label."""
    return core_error_lines(error, _label)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's error on the form: on the field it names, else on the whole form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def next_url(request, default: str) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def reasons_json(reasons) -> list[dict]:
    return [{"kind": r.kind, "label": r.label, "weight": r.weight} for r in reasons]


def suggestion_for(need: Need, resource: Resource):
    """The score and reasons the engine gives this pair now (``(None, [])`` if it no longer
    suggests it), so a decision stores what the person saw."""
    for suggestion in matching.suggest_for_need(need, limit=100):
        if suggestion.resource.pk == resource.pk:
            return suggestion.score, reasons_json(suggestion.reasons)
    for suggestion in matching.suggest_for_resource(resource, limit=100):
        if suggestion.need.pk == need.pk:
            return suggestion.score, reasons_json(suggestion.reasons)
    return None, []


def local_date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def xlsx_export(request, *, title: str, columns: list[str], rows: list[list], list_name: str):
    """The rows as a workbook handed out as a file; the export is written to the audit log."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        longest = max([len(str(column))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.6), 50)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    audit_record(
        actor=request.user,
        action="export",
        request=request,
        after={"format": "xlsx", "list": list_name, "rows": len(rows)},
        note=request.GET.urlencode()[:500],
    )
    day = timezone.localdate().isoformat()
    return FileResponse(
        output, as_attachment=True, filename=f"{title}-{day}.xlsx", content_type=XLSX
    )
