"""The three lists on the portal, phone first: the public project list and a project's page
(anyone may read them, signed in or not), and a resident raising a need for their community and
following their needs.

Reads go through ``fumin.lists.selectors``, the need through ``fumin.lists.services.need_raise``;
these views only translate its errors into form errors.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fumin.accounts.models import Role
from fumin.activities.services import person_of
from fumin.lists import selectors, services
from fumin.lists.models import Claim, Project, Sector

PAGE_SIZE = 20


def _public_projects():
    """Published (or later) projects of this year and the years before; never drafts, archived
    projects or next year's projects before their year has come."""
    this_year = timezone.localdate().year
    return selectors.public_projects().filter(year__lte=this_year)


def _with_claims_and_milestones(projects):
    active = Claim.objects.filter(status=Claim.Status.ACTIVE).select_related("unit")
    return projects.prefetch_related(
        Prefetch("claims", queryset=active.order_by("claimed_on", "pk"), to_attr="active_claims"),
        "milestones",
    )


class ProjectFilter(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("year"), required=False, coerce=int, empty_value=None
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=gettext_lazy("All sectors"),
    )
    level = forms.ChoiceField(label=gettext_lazy("level"), required=False)

    def __init__(self, data, *, years):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["level"].choices = [("", _("All levels")), *Project.Level.choices]


@login_not_required
def project_list(request):
    """福民项目: the public list, newest year first, filtered by year, sector and level; each
    project with the units that claimed it and its progress."""
    projects = _public_projects()
    years = sorted(set(projects.values_list("year", flat=True)), reverse=True)
    form = ProjectFilter(request.GET or None, years=years)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["year"]:
            projects = projects.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["sector"]:
            projects = projects.filter(programme__sector=form.cleaned_data["sector"])
        if form.cleaned_data["level"]:
            projects = projects.filter(level=form.cleaned_data["level"])
    projects = _with_claims_and_milestones(
        projects.order_by("-year", "programme__sector__position", "name_pinyin", "pk")
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.progress = services.project_progress(project)
    query = urlencode(
        [(k, v) for k, v in request.GET.items() if k in ("year", "sector", "level") and v]
    )
    context = {"form": form, "page": page, "query": query}
    return render(request, "portal/lists/project_list.html", context)


@login_not_required
def project_detail(request, public_id):
    project = (
        _with_claims_and_milestones(_public_projects().filter(public_id=public_id))
        .prefetch_related("needs__area", "resources__unit")
        .first()
    )
    if project is None:
        raise Http404
    context = {
        "project": project,
        "progress": services.project_progress(project),
        "milestones": list(project.milestones.all()),
        "claims": project.active_claims,
        "needs": [n for n in project.needs.all()],
        "resources": [r for r in project.resources.all() if r.archived_at is None],
    }
    return render(request, "portal/lists/project_detail.html", context)


class NeedForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What do you need?"),
        max_length=200,
        help_text=gettext_lazy("In a few words, e.g. “broken fitness equipment in the garden”."),
    )
    description = forms.CharField(
        label=gettext_lazy("description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Where, since when, who is affected. Please do not write other people's phone "
            "numbers or ID numbers."
        ),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("category"),
        queryset=selectors.category_choices(),
        empty_label=gettext_lazy("Choose a category"),
    )
    beneficiary_group = forms.CharField(
        label=gettext_lazy("Who would benefit"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("e.g. elderly living alone"),
    )
    expected_beneficiaries = forms.IntegerField(
        label=gettext_lazy("About how many people"), min_value=1, required=False
    )


def _home_community(user):
    """The community a need raised by ``user`` goes to (as ``need_raise`` decides it)."""
    person = person_of(user)
    if person is not None and person.home_community_id:
        return person.home_community
    assignment = (
        user.role_assignments.filter(role=Role.MEMBER, revoked_at__isnull=True, area__isnull=False)
        .select_related("area")
        .first()
    )
    return assignment.area if assignment else None


def need_new(request):
    """A resident raises a need for the community they live in. A wrong field is named and the
    form comes back with everything typed."""
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        optional = {
            key: data[key]
            for key in ("beneficiary_group", "expected_beneficiaries")
            if data[key] not in (None, "")
        }
        try:
            services.need_raise(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                request=request,
                **optional,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your need was sent to your community. Thank you!"))
            return redirect("portal:my_needs")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "community": _home_community(request.user)}
    return render(request, "portal/lists/need_form.html", context, status=status)


def my_needs(request):
    """The needs I raised, newest first, with their status and what happened last."""
    needs = selectors.need_list(viewer=request.user, mine=True).prefetch_related("events")
    needs = list(needs[:100])
    for need in needs:
        events = list(need.events.all())
        need.last_event = events[-1] if events else None
    return render(request, "portal/lists/my_needs.html", {"needs": needs})
