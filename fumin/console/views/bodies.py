"""Console pages for places (楼宇 / 商圈), alliances (联盟) and joint meetings (联席会议)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.core.paging import paginate, query_without_page
from fumin.core.widgets import search_in
from fumin.registry import services
from fumin.registry.forms import AllianceForm, JointMeetingForm, MemberUnitForm, PlaceForm
from fumin.registry.models import Alliance, JointMeeting, Place
from fumin.registry.selectors import (
    alliance_get,
    alliance_list,
    area_list,
    joint_meeting_get,
    joint_meeting_list,
    place_list,
    unit_list,
)

from .forms import handle_form


def _can_edit(request, area) -> bool:
    scope = scope_of(request.user)
    return scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(area)


# Places -----------------------------------------------------------------------------------------


@require_capability(Capability.VIEW_AREAS)
def place_index(request):
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    places = place_list(viewer=request.user, text=text, kind=kind)
    context = {
        "places": paginate(request, places),
        "q": text,
        "kind": kind,
        "kinds": Place.Kind.choices,
        "query": query_without_page(request),
    }
    return render(request, "console/places/index.html", context)


@require_capability(Capability.VIEW_AREAS)
def place_detail(request, public_id):
    place = place_list(viewer=request.user).filter(public_id=public_id).first()
    if place is None:
        raise Http404
    context = {
        "place": place,
        "units": unit_list(viewer=request.user, place=place),
        "meetings": joint_meeting_list(viewer=request.user).filter(place=place),
        "can_edit": _can_edit(request, place.area),
    }
    return render(request, "console/places/detail.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def place_create(request):
    form = PlaceForm(
        request.POST or None, choices={"area": area_list(viewer=request.user).order_by("path")}
    )
    return handle_form(
        request,
        form,
        save=lambda data: services.place_create(actor=request.user, **data),
        success_message=_("Place saved."),
        title=_("New place"),
        breadcrumbs=[(_("Places"), reverse("console:place_index"))],
        cancel_url=reverse("console:place_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def place_edit(request, public_id):
    place = place_list(viewer=request.user).filter(public_id=public_id).first()
    if place is None:
        raise Http404
    form = PlaceForm(
        request.POST or None,
        instance=place,
        choices={"area": area_list(viewer=request.user).order_by("path")},
    )
    return handle_form(
        request,
        form,
        save=lambda data: services.place_update(
            actor=request.user, place=Place.objects.get(pk=place.pk), request=request, **data
        ),
        success_message=_("Place saved."),
        title=_("Edit place"),
        breadcrumbs=[(_("Places"), reverse("console:place_index")), (place.name, "")],
        cancel_url=place.get_absolute_url(),
    )


# Alliances and joint meetings share one shape: a body with member units ---------------------------

BODIES = {
    "alliance": {
        "model": Alliance,
        "list": alliance_list,
        "get": alliance_get,
        "form": AllianceForm,
        "create": services.alliance_create,
        "update": services.alliance_update,
        "add": services.alliance_add_member,
        "remove": services.alliance_remove_member,
        "key": "alliance",
        "title": gettext_lazy("Alliances"),
        "new_title": gettext_lazy("New alliance"),
    },
    "joint_meeting": {
        "model": JointMeeting,
        "list": joint_meeting_list,
        "get": joint_meeting_get,
        "form": JointMeetingForm,
        "create": services.joint_meeting_create,
        "update": services.joint_meeting_update,
        "add": services.joint_meeting_add_member,
        "remove": services.joint_meeting_remove_member,
        "key": "joint_meeting",
        "title": gettext_lazy("Joint meetings"),
        "new_title": gettext_lazy("New joint meeting"),
    },
}


def _body_or_404(request, kind, public_id):
    body = BODIES[kind]["get"](viewer=request.user, public_id=public_id)
    if body is None:
        raise Http404
    return body


def _body_index(request, kind):
    text = request.GET.get("q", "").strip()
    bodies = BODIES[kind]["list"](viewer=request.user, text=text)
    context = {
        "kind": kind,
        "bodies": paginate(request, bodies),
        "q": text,
        "title": BODIES[kind]["title"],
        "query": query_without_page(request),
        "can_create": scope_of(request.user).can(Capability.EDIT_REGISTRY),
    }
    return render(request, "console/bodies/index.html", context)


def _body_detail(request, kind, public_id):
    body = _body_or_404(request, kind, public_id)
    memberships = body.memberships.select_related("unit__area").order_by(
        "left_on", "unit__name_pinyin"
    )
    can_edit = _can_edit(request, body.area)
    # Found by search among the units in scope, not listed (a district has thousands); adding a
    # unit that is already a member changes nothing.
    form = MemberUnitForm(units=unit_list(viewer=request.user))
    search_in(form.fields["unit"], reverse("console:unit_options"))
    context = {
        "kind": kind,
        "body": body,
        "memberships": memberships,
        "can_edit": can_edit,
        "form": form,
        "title": BODIES[kind]["title"],
    }
    return render(request, "console/bodies/detail.html", context)


def _body_choices(viewer) -> dict:
    return {
        "area": area_list(viewer=viewer).order_by("path"),
        "lead_unit": unit_list(viewer=viewer),
        "chair_unit": unit_list(viewer=viewer),
        "place": place_list(viewer=viewer),
    }


def _body_searches() -> dict:
    """A district's units number thousands: the lead and chair units are found, not listed."""
    return {
        "lead_unit": reverse("console:unit_options"),
        "chair_unit": reverse("console:unit_options"),
    }


def _body_edit(request, kind, public_id):
    spec = BODIES[kind]
    body = _body_or_404(request, kind, public_id)
    form = spec["form"](
        request.POST or None,
        instance=body,
        choices=_body_choices(request.user),
        searches=_body_searches(),
    )
    stored = spec["model"].objects.get(pk=body.pk)  # the form writes its input onto ``body``
    return handle_form(
        request,
        form,
        save=lambda data: spec["update"](
            actor=request.user, request=request, **{spec["key"]: stored}, **data
        ),
        success_message=_("Saved."),
        title=body.name,
        breadcrumbs=[(spec["title"], reverse(f"console:{kind}_index"))],
        cancel_url=body.get_absolute_url(),
    )


def _body_create(request, kind):
    spec = BODIES[kind]
    form = spec["form"](
        request.POST or None, choices=_body_choices(request.user), searches=_body_searches()
    )
    index = reverse(f"console:{kind}_index")
    return handle_form(
        request,
        form,
        save=lambda data: spec["create"](actor=request.user, request=request, **data),
        success_message=_("Saved."),
        title=spec["new_title"],
        breadcrumbs=[(spec["title"], index)],
        cancel_url=index,
    )


def _body_member(request, kind, public_id, add: bool):
    spec = BODIES[kind]
    body = _body_or_404(request, kind, public_id)
    form = MemberUnitForm(request.POST, units=unit_list(viewer=request.user))
    if form.is_valid():
        action = spec["add"] if add else spec["remove"]
        action(
            actor=request.user,
            unit=form.cleaned_data["unit"],
            request=request,
            **{spec["key"]: body},
        )
    return redirect(body.get_absolute_url())


@require_capability(Capability.VIEW_AREAS)
def alliance_index(request):
    return _body_index(request, "alliance")


@require_capability(Capability.VIEW_AREAS)
def alliance_detail(request, public_id):
    return _body_detail(request, "alliance", public_id)


@require_capability(Capability.EDIT_REGISTRY)
def alliance_create(request):
    return _body_create(request, "alliance")


@require_capability(Capability.EDIT_REGISTRY)
def alliance_edit(request, public_id):
    return _body_edit(request, "alliance", public_id)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def alliance_add_member(request, public_id):
    return _body_member(request, "alliance", public_id, add=True)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def alliance_remove_member(request, public_id):
    return _body_member(request, "alliance", public_id, add=False)


@require_capability(Capability.VIEW_AREAS)
def joint_meeting_index(request):
    return _body_index(request, "joint_meeting")


@require_capability(Capability.VIEW_AREAS)
def joint_meeting_detail(request, public_id):
    return _body_detail(request, "joint_meeting", public_id)


@require_capability(Capability.EDIT_REGISTRY)
def joint_meeting_create(request):
    return _body_create(request, "joint_meeting")


@require_capability(Capability.EDIT_REGISTRY)
def joint_meeting_edit(request, public_id):
    return _body_edit(request, "joint_meeting", public_id)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def joint_meeting_add_member(request, public_id):
    return _body_member(request, "joint_meeting", public_id, add=True)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def joint_meeting_remove_member(request, public_id):
    return _body_member(request, "joint_meeting", public_id, add=False)
