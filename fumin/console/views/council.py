"""Console pages for the council: seats, chair rota, history, meetings, motions, certificates.

Everyone who may see a council reads these pages; only council managers (subdistrict staff and
platform administrators over the council's subdistrict) create meetings and motions and decide
them. Every change goes through ``fumin.council.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.core.paging import paginate, query_without_page
from fumin.core.widgets import search_in
from fumin.council import selectors, services
from fumin.council.forms import (
    CouncilForm,
    CouncilMeetingForm,
    CouncilMotionForm,
    MotionDecisionForm,
    MotionItemForm,
    add_service_errors,
)
from fumin.council.models import CouncilMotion
from fumin.registry.models import Area
from fumin.registry.selectors import area_list, unit_list

from .units import units_of


def _council_or_404(request, public_id):
    council = selectors.council_get(viewer=request.user, public_id=public_id)
    if council is None:
        raise Http404
    return council


def _motion_or_404(request, public_id) -> CouncilMotion:
    motion = selectors.council_motion_get(viewer=request.user, public_id=public_id)
    if motion is None:
        raise Http404
    return motion


def _require_manager(request, council) -> None:
    if not services.can_manage_council(request.user, council.area):
        raise PermissionDenied


@require_capability(Capability.CONSOLE)
def council_index(request):
    councils = paginate(request, selectors.council_list(viewer=request.user))
    context = {"councils": councils, "query": query_without_page(request)}
    return render(request, "console/council/index.html", context)


@require_capability(Capability.MANAGE_COUNCIL)
def council_create(request):
    areas = area_list(viewer=request.user, kind=Area.Kind.SUBDISTRICT).order_by("path")
    form = CouncilForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                area=form.cleaned_data["area"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Council created."))
            return redirect("console:council_detail", public_id=council.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/council/create.html", {"form": form}, status=status)


@require_capability(Capability.CONSOLE)
def council_detail(request, public_id):
    council = _council_or_404(request, public_id)
    viewer = request.user
    context = {
        "council": council,
        "today": timezone.localdate(),
        "seats": selectors.council_current_seats(viewer=viewer, council=council),
        "rota": selectors.council_chair_rota(viewer=viewer, council=council),
        "history": selectors.council_seat_history(viewer=viewer, council=council),
        "motions": selectors.council_motion_list(viewer=viewer, council=council),
        "can_manage": services.can_manage_council(viewer, council.area),
    }
    return render(request, "console/council/detail.html", context)


@require_capability(Capability.CONSOLE)
def council_meeting_index(request, public_id):
    """The council's meetings; managers record a new one with the form on the same page."""
    council = _council_or_404(request, public_id)
    can_manage = services.can_manage_council(request.user, council.area)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = CouncilMeetingForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.council_meeting_create(
                    actor=request.user, council=council, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("console:council_meeting_index", public_id=council.public_id)
        status = 400
    meetings = paginate(
        request, selectors.council_meeting_list(viewer=request.user, council=council)
    )
    context = {
        "council": council,
        "meetings": meetings,
        "form": form,
        "can_manage": can_manage,
        "query": query_without_page(request),
    }
    return render(request, "console/council/meetings.html", context, status=status)


@require_capability(Capability.CONSOLE)
def council_motion_create(request, public_id):
    council = _council_or_404(request, public_id)
    _require_manager(request, council)
    form = CouncilMotionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.council_motion_create(
                actor=request.user,
                council=council,
                title=form.cleaned_data["title"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft motion created. Now add its items."))
            return redirect("console:council_motion_detail", public_id=motion.public_id)
    status = 400 if request.method == "POST" else 200
    context = {"council": council, "form": form}
    return render(request, "console/council/motion_create.html", context, status=status)


def _motion_page(
    request, motion, *, item_form=None, approve_form=None, reject_form=None, status=200
):
    council = motion.council
    can_manage = services.can_manage_council(request.user, council.area) and motion.is_draft
    meetings = selectors.council_meeting_list(viewer=request.user, council=council).filter(
        held_on__lte=timezone.localdate()
    )
    units = unit_list(viewer=request.user, area=council.area)
    if can_manage:
        item_form = item_form or MotionItemForm(units=units)
        search_in(item_form.fields["unit"], units_of(council.area))  # found, not listed
        approve_form = approve_form or MotionDecisionForm(meetings=meetings, prefix="approve")
        reject_form = reject_form or MotionDecisionForm(
            meetings=meetings, required=False, prefix="reject"
        )
    else:
        # A decided motion has no forms to show a refusal on (say, approving it twice).
        for form in (item_form, approve_form, reject_form):
            for error in form.non_field_errors() if form is not None else ():
                messages.error(request, error)
    opened_seats, closed_seats = selectors.council_motion_seats(motion=motion)
    context = {
        "council": council,
        "motion": motion,
        "items": selectors.council_motion_items(motion=motion),
        "opened_seats": opened_seats,
        "closed_seats": closed_seats,
        "can_manage": can_manage,
        "item_form": item_form,
        "approve_form": approve_form,
        "reject_form": reject_form,
    }
    return render(request, "console/council/motion_detail.html", context, status=status)


@require_capability(Capability.CONSOLE)
def council_motion_detail(request, public_id):
    return _motion_page(request, _motion_or_404(request, public_id))


@require_POST
@require_capability(Capability.CONSOLE)
def council_motion_add_item(request, public_id):
    motion = _motion_or_404(request, public_id)
    _require_manager(request, motion.council)
    units = unit_list(viewer=request.user, area=motion.council.area)
    form = MotionItemForm(request.POST, units=units)
    if form.is_valid():
        try:
            services.council_motion_add_item(
                actor=request.user, motion=motion, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item added to the motion."))
            return redirect("console:council_motion_detail", public_id=motion.public_id)
    return _motion_page(request, motion, item_form=form, status=400)


def _decide(request, public_id, *, approve: bool):
    motion = _motion_or_404(request, public_id)
    _require_manager(request, motion.council)
    meetings = selectors.council_meeting_list(viewer=request.user, council=motion.council)
    prefix = "approve" if approve else "reject"
    form = MotionDecisionForm(request.POST, meetings=meetings, required=approve, prefix=prefix)
    if form.is_valid():
        decide = services.council_motion_approve if approve else services.council_motion_reject
        try:
            decide(
                actor=request.user,
                motion=motion,
                meeting=form.cleaned_data["meeting"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if approve:
                messages.success(request, _("Motion approved; the seats have been changed."))
            else:
                messages.success(request, _("Motion rejected; the seats are unchanged."))
            return redirect("console:council_motion_detail", public_id=motion.public_id)
    forms = {"approve_form": form} if approve else {"reject_form": form}
    return _motion_page(request, motion, status=400, **forms)


@require_POST
@require_capability(Capability.CONSOLE)
def council_motion_approve(request, public_id):
    return _decide(request, public_id, approve=True)


@require_POST
@require_capability(Capability.CONSOLE)
def council_motion_reject(request, public_id):
    return _decide(request, public_id, approve=False)


@require_capability(Capability.CONSOLE)
def council_seat_certificate(request, public_id):
    """A seat's membership certificate: one A4 page, printed from the browser."""
    seat = selectors.council_seat_get(viewer=request.user, public_id=public_id)
    if seat is None:
        raise Http404
    return render(request, "console/council/certificate.html", {"seat": seat})
