"""Console pages of claims (认领): the claim certificate (one A4 page, printed from the browser),
withdrawing a claim, and claim ceremonies (认领仪式) where staff record many claims at once on one
sheet — all of them or, if any line is wrong, none, every wrong line named and nothing typed lost.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.lists import services
from fumin.lists.forms import CeremonyForm, WithdrawForm
from fumin.lists.models import Claim
from fumin.lists.selectors import (
    ceremony_get,
    ceremony_list,
    claim_get,
    claim_list,
    claimable_units,
    project_get,
    project_list,
)
from fumin.lists.services import CeremonyClaim, subdistrict_of
from fumin.registry.selectors import area_list

from . import projects as project_pages
from .forms import handle_form
from .lists_common import add_errors, error_lines, found_or_404, next_url

SHEET_ROWS = 3  # empty lines on a new sheet; "add a line" adds more


# Certificate and withdrawal ---------------------------------------------------------------------


@require_capability(Capability.CONSOLE)
def claim_certificate(request, public_id):
    claim = found_or_404(claim_get(viewer=request.user, public_id=public_id))
    subdistrict = subdistrict_of(claim.project.owner_area)
    context = {
        "claim": claim,
        "issuer": subdistrict.name if subdistrict else claim.project.owner_area.name,
        "project_url": reverse("console:project_detail", args=[claim.project.public_id]),
    }
    return render(request, "console/lists/claims/certificate.html", context)


@require_POST
@require_capability(Capability.CONSOLE)
def claim_withdraw(request, public_id):
    claim = found_or_404(claim_get(viewer=request.user, public_id=public_id))
    if not services.may_record_claim(request.user, claim.project, claim.unit):
        raise PermissionDenied
    project_url = reverse("console:project_detail", args=[claim.project.public_id])
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.claim_withdraw(
                actor=request.user, claim=claim, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Claim withdrawn."))
            return redirect(next_url(request, project_url + "#claims"))
    project = project_get(viewer=request.user, public_id=claim.project.public_id)
    if project is None:  # the project went back to draft elsewhere; say it plainly
        return render(
            request,
            "console/lists/claims/withdraw_error.html",
            {"claim": claim, "form": form},
            status=400,
        )
    return project_pages.render_detail(
        request, project, status=400, forms={f"withdraw:{claim.public_id}": form}
    )


# Ceremonies -------------------------------------------------------------------------------------


@require_capability(Capability.MANAGE_PROJECTS)
def ceremony_index(request):
    ceremonies = ceremony_list(viewer=request.user).select_related("area")
    return render(request, "console/lists/claims/ceremonies.html", {"ceremonies": ceremonies})


@require_capability(Capability.MANAGE_PROJECTS)
def ceremony_create(request):
    areas = area_list(viewer=request.user).filter(kind__in=("subdistrict", "grid")).order_by("path")
    form = CeremonyForm(request.POST or None, areas=areas)
    return handle_form(
        request,
        form,
        save=lambda data: reverse(
            "console:ceremony_detail",
            args=[services.ceremony_create(actor=request.user, request=request, **data).public_id],
        ),
        success_message=_("Ceremony saved: record its claims on the sheet."),
        title=_("New claim ceremony"),
        breadcrumbs=[(_("Claim ceremonies"), reverse("console:ceremony_index"))],
        cancel_url=reverse("console:ceremony_index"),
    )


def _sheet_choices(viewer) -> dict:
    projects = (
        project_list(viewer=viewer, manageable=True)
        .filter(status__in=services.CLAIMABLE)
        .order_by("-year", "name_pinyin")
    )
    return {
        "projects": list(projects),
        "units": list(claimable_units(viewer=viewer)),
        "modes": Claim.Mode.choices,
    }


def _ceremony_page(request, ceremony, *, rows, errors=(), status=200):
    context = {
        "ceremony": ceremony,
        "claims": list(claim_list(viewer=request.user, ceremony=ceremony).order_by("pk")),
        "rows": rows,
        "errors": list(errors),
        **_sheet_choices(request.user),
    }
    return render(request, "console/lists/claims/ceremony.html", context, status=status)


def _blank_row() -> dict:
    return {"project": "", "unit": "", "mode": "", "plan": ""}


@require_capability(Capability.MANAGE_PROJECTS)
def ceremony_detail(request, public_id):
    ceremony = found_or_404(ceremony_get(viewer=request.user, public_id=public_id))
    if request.method != "POST":
        return _ceremony_page(request, ceremony, rows=[_blank_row() for _ in range(SHEET_ROWS)])
    typed = [
        {"project": p.strip(), "unit": u.strip(), "mode": m.strip(), "plan": plan}
        for p, u, m, plan in zip(
            request.POST.getlist("project"),
            request.POST.getlist("unit"),
            request.POST.getlist("mode"),
            request.POST.getlist("plan"),
            strict=False,
        )
    ]
    # Lines left wholly empty are dropped, so "line 2" in a message is line 2 of the sheet shown.
    rows = [row for row in typed if row["project"] or row["unit"] or row["plan"].strip()]
    if not rows:
        return _ceremony_page(
            request,
            ceremony,
            rows=[_blank_row() for _ in range(SHEET_ROWS)],
            errors=[_("The sheet is empty: fill in at least one line.")],
            status=400,
        )
    choices = _sheet_choices(request.user)
    projects = {str(p.public_id): p for p in choices["projects"]}
    units = {str(u.public_id): u for u in choices["units"]}
    lines = [
        CeremonyClaim(
            project=projects.get(row["project"]),
            unit=units.get(row["unit"]),
            mode=row["mode"],
            plan=row["plan"],
        )
        for row in rows
    ]
    try:
        claims = services.ceremony_record_claims(
            actor=request.user, ceremony=ceremony, lines=lines, request=request
        )
    except ValidationError as error:
        return _ceremony_page(request, ceremony, rows=rows, errors=error_lines(error), status=400)
    messages.success(
        request,
        _("%(count)s claims recorded.") % {"count": len(claims)},
    )
    return redirect("console:ceremony_detail", public_id=ceremony.public_id)


@require_capability(Capability.MANAGE_PROJECTS)
def ceremony_row(request, public_id):
    """One more empty line of the sheet (an HTMX fragment)."""
    ceremony = found_or_404(ceremony_get(viewer=request.user, public_id=public_id))
    context = {"ceremony": ceremony, "row": _blank_row(), **_sheet_choices(request.user)}
    return render(request, "console/lists/claims/_sheet_row.html", context)
