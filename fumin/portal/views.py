"""The member's own pages, phone first: home, dual registration (register, status, move home,
deregister)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.scope import scope_of
from fumin.core.search import search_by_name
from fumin.core.widgets import search_options
from fumin.notifications.selectors import inbox
from fumin.registration import selectors as registration_selectors
from fumin.registration import services as registration_services
from fumin.registration.forms import MemberRegistrationForm, MoveForm, all_communities
from fumin.registration.models import MemberRegistration
from fumin.registration.periods import period_containing, report_period_kind
from fumin.registration.service_records import service_records
from fumin.registry.models import Area, PartyOrg, Unit
from fumin.registry.selectors import communities_matching


def home(request):
    """A member's own page: who they are, their roles, registration and latest messages."""
    roles = request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
        "area", "unit"
    )
    context = {
        "roles": roles,
        "scope": scope_of(request.user),
        "registration": registration_selectors.my_registration(viewer=request.user),
        "latest": inbox(viewer=request.user)[:5],
    }
    return render(request, "portal/home.html", context)


def _units():
    return Unit.objects.filter(archived_at__isnull=True).select_related("area")


def _party_orgs():
    return PartyOrg.objects.filter(archived_at__isnull=True).select_related("unit", "community")


def _registration_form(request, data=None):
    """A member picks their work unit and party organisation among every one in the city: each
    field is a search box (``unit_options``, ``party_org_options``), not a list of thousands."""
    initial = {"name": request.user.name, "mobile": request.user.mobile}
    return MemberRegistrationForm(
        data,
        initial=initial,
        communities=all_communities(),
        units=_units(),
        party_orgs=_party_orgs(),
        unit_search=reverse("portal:unit_options"),
        party_org_search=reverse("portal:party_org_options"),
        community_search=reverse("portal:community_options"),
    )


def community_options(request):
    """Residential communities found by name, pinyin or initials, with their subdistrict, for
    the home community of a registration or a move (a city has thousands; not personal data)."""
    return search_options(
        request,
        lambda text: communities_matching(all_communities(), text),
        Area.name_with_subdistrict,
    )


def unit_options(request):
    """Units found by name, pinyin or initials, with the area they are in, for the registration
    form's work unit (unit names are not personal data: any logged-in member may search them)."""
    return search_options(
        request,
        lambda text: search_by_name(_units(), text).order_by("name_pinyin", "pk"),
        Unit.name_with_area,
    )


def party_org_options(request):
    """Party organisations found by name, pinyin or initials, with their unit or community."""
    return search_options(
        request,
        lambda text: search_by_name(_party_orgs(), text).order_by("name_pinyin", "pk"),
        PartyOrg.name_with_owner,
    )


def registration(request):
    """双报到: register with the community you live in, or see the registration you have."""
    current = registration_selectors.my_registration(viewer=request.user)
    if current is not None and request.method != "POST":
        period = period_containing(timezone.now(), report_period_kind("member"))
        records = service_records([current.person_id], period.start, period.end)
        context = {
            "registration": current,
            "period": period,
            "records": records,
            "total_hours": sum((r.hours for r in records), Decimal(0)),
            "history": registration_selectors.my_registration_history(viewer=request.user),
            "move_form": MoveForm(
                communities=all_communities().exclude(pk=current.community_id),
                community_search=reverse("portal:community_options"),
            ),
        }
        return render(request, "portal/registration.html", context)
    form = _registration_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found, created = registration_services.member_register(
                actor=request.user,
                channel=MemberRegistration.Channel.SELF,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if created:
                messages.success(request, _("Registration sent. Your community will confirm it."))
            else:
                messages.info(
                    request,
                    _("You are already registered with %(community)s.")
                    % {"community": found.community.name},
                )
            return redirect("portal:registration")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/register.html", {"form": form}, status=status)


@require_POST
def registration_move(request):
    current = registration_selectors.my_registration(viewer=request.user)
    if current is None:
        return redirect("portal:registration")
    form = MoveForm(
        request.POST,
        communities=all_communities(),
        community_search=reverse("portal:community_options"),
    )
    if form.is_valid():
        try:
            registration_services.member_move(
                actor=request.user,
                registration=current,
                community=form.cleaned_data["community"],
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Your registration passed to your new community, which will confirm it.")
            )
    else:
        messages.error(request, _("Choose your new home community."))
    return redirect("portal:registration")


@require_POST
def registration_end(request):
    current = registration_selectors.my_registration(viewer=request.user)
    if current is not None:
        registration_services.registration_end(
            actor=request.user,
            registration=current,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("You are deregistered. Your history stays on record."))
    return redirect("portal:registration")
