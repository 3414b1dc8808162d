"""Console pages for people (人员): list, detail with audited unmasking, create, edit, archive."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.core.masking import mask_mobile
from fumin.core.paging import paginate, query_without_page
from fumin.core.widgets import search_options
from fumin.registry import services
from fumin.registry.forms import PersonForm, community_choices
from fumin.registry.models import Person
from fumin.registry.selectors import (
    area_list,
    party_org_list,
    person_get,
    person_list,
    unit_list,
)

from .forms import handle_form


def _person_or_404(request, public_id) -> Person:
    person = person_get(viewer=request.user, public_id=public_id)
    if person is None:
        raise Http404
    return person


def _choices(viewer) -> dict:
    return {
        "home_community": community_choices(area_list(viewer=viewer)),
        "work_unit": unit_list(viewer=viewer),
        "party_org": party_org_list(viewer=viewer),
    }


def _searches() -> dict:
    """A district's units and party organisations number thousands: found, not listed."""
    return {
        "work_unit": reverse("console:unit_options"),
        "party_org": reverse("console:party_org_options"),
    }


@require_capability(Capability.CONSOLE)
def person_options(request):
    """People of the viewer's scope for a ``SearchSelect`` (by name, pinyin, initials or a whole
    mobile number), in pinyin order, each with their community and masked mobile number to tell
    namesakes apart; ``party=1`` keeps party members only."""
    members_only = request.GET.get("party") == "1"

    def find(text):
        found = person_list(viewer=request.user, text=text, party_members_only=members_only)
        return found.order_by("name_pinyin", "pk")

    return search_options(request, find, _person_label)


def _person_label(person) -> str:
    community = person.home_community.name if person.home_community else "—"
    return f"{person.name}（{community}，{mask_mobile(person.mobile) or '—'}）"


@require_capability(Capability.CONSOLE)
def person_index(request):
    text = request.GET.get("q", "").strip()
    communities = community_choices(area_list(viewer=request.user))
    community = communities.filter(public_id=request.GET.get("community") or None).first()
    members_only = request.GET.get("party") == "1"
    people = person_list(
        viewer=request.user, text=text, community=community, party_members_only=members_only
    )
    context = {
        "people": paginate(request, people),
        "q": text,
        "communities": communities,
        "community": community,
        "members_only": members_only,
        "query": query_without_page(request),
    }
    template = "console/people/_table.html" if request.htmx else "console/people/index.html"
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def person_detail(request, public_id):
    person = _person_or_404(request, public_id)
    scope = scope_of(request.user)
    area = services.person_area(person)
    context = {
        "person": person,
        "can_edit": scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(area),
        "can_unmask": scope.can(Capability.UNMASK_PERSONAL_DATA) and scope.contains_area(area),
    }
    return render(request, "console/people/detail.html", context)


def _save_person(request, person=None):
    def save(data):
        id_number = data.pop("id_number", "")
        if person is None:
            return services.person_create(
                actor=request.user, request=request, id_number=id_number or None, **data
            )
        return services.person_update(
            actor=request.user,
            person=Person.objects.get(pk=person.pk),
            request=request,
            id_number=id_number or None,  # empty: keep the stored number
            **data,
        )

    return save


@require_capability(Capability.EDIT_REGISTRY)
def person_create(request):
    form = PersonForm(request.POST or None, choices=_choices(request.user), searches=_searches())
    return handle_form(
        request,
        form,
        save=_save_person(request),
        success_message=_("Person saved."),
        title=_("New person"),
        breadcrumbs=[(_("People"), reverse("console:person_index"))],
        cancel_url=reverse("console:person_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def person_edit(request, public_id):
    person = _person_or_404(request, public_id)
    form = PersonForm(
        request.POST or None,
        instance=person,
        choices=_choices(request.user),
        searches=_searches(),
        editing=True,
    )
    return handle_form(
        request,
        form,
        save=_save_person(request, person),
        success_message=_("Person saved."),
        title=_("Edit person"),
        breadcrumbs=[(_("People"), reverse("console:person_index")), (person.name, "")],
        cancel_url=person.get_absolute_url(),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def person_archive(request, public_id):
    person = _person_or_404(request, public_id)
    services.person_archive(actor=request.user, person=person, request=request)
    return redirect(person.get_absolute_url())


@require_POST
@require_capability(Capability.UNMASK_PERSONAL_DATA)
def person_reveal(request, public_id, field):
    """Show one field in full in place of its mask; the service writes the audit entry."""
    if field not in ("mobile", "id_number"):
        return HttpResponseBadRequest(_("Unknown field."))
    person = _person_or_404(request, public_id)
    value = services.person_reveal(actor=request.user, person=person, field=field, request=request)
    return HttpResponse(format_html('<span class="mono">{}</span>', value or "—"))
