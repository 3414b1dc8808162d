"""Forms for the three lists' console pages. They check the shape of the input and name the field
in error; the services decide who may write what and keep the rules, so every page, the API and
the commands share one path."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fumin.core.widgets import search_in, search_in_if_many

from .models import Claim, Need, Project, Resource


def _date(label, required=False):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _text(label, required=True, rows=3, max_length=None, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


# Needs ------------------------------------------------------------------------------------------


class NeedForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    description = _text(_("description"), rows=4)
    category = forms.ModelChoiceField(label=_("category"), queryset=None)
    area = forms.ModelChoiceField(label=_("residential community"), queryset=None)
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=Need.Urgency.choices, initial=Need.Urgency.NORMAL
    )
    beneficiary_group = forms.CharField(
        label=_("beneficiary group"),
        max_length=100,
        required=False,
        help_text=_("e.g. elderly living alone"),
    )
    expected_beneficiaries = forms.IntegerField(
        label=_("expected number of beneficiaries"), min_value=0, required=False
    )

    def __init__(self, *args, categories, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["area"].queryset = communities
        search_in_if_many(self.fields["area"], reverse_lazy("console:community_options"))

    @classmethod
    def initial_for(cls, need: Need) -> dict:
        return {name: getattr(need, name) for name in cls.base_fields}


class NeedCloseForm(forms.Form):
    note = forms.CharField(label=_("reason"), max_length=300)


class NeedNoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class StartProjectForm(forms.Form):
    """A draft project that answers a need with a suggested resource."""

    name = forms.CharField(label=_("project name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Project.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label=_("level"), choices=Project.Level.choices, initial=Project.Level.COMMUNITY
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


# Resources --------------------------------------------------------------------------------------


class ResourceForm(forms.Form):
    """``provider`` says which of unit, person and department is read; the others are ignored."""

    title = forms.CharField(label=_("title"), max_length=200)
    description = _text(_("description"), required=False, rows=3)
    kind = forms.ChoiceField(label=_("kind"), choices=Resource.Kind.choices)
    category = forms.ModelChoiceField(label=_("category"), queryset=None)
    provider = forms.ChoiceField(
        label=_("offered by"), choices=Resource.Provider.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None, required=False)
    person = forms.ModelChoiceField(label=_("member"), queryset=None, required=False)
    department = forms.CharField(label=_("department"), max_length=100, required=False)
    area = forms.ModelChoiceField(
        label=_("area"),
        queryset=None,
        required=False,
        help_text=_("Leave empty: where the unit is, or where the member lives."),
    )
    capacity = forms.IntegerField(
        label=_("capacity"),
        min_value=0,
        required=False,
        help_text=_("How many people or times it can serve."),
    )
    availability = forms.CharField(
        label=_("availability"),
        max_length=200,
        required=False,
        help_text=_("e.g. weekday evenings"),
    )
    available_from = _date(_("available from"))
    available_until = _date(_("available until"))

    def __init__(
        self,
        *args,
        categories,
        units,
        people,
        areas,
        departments: bool,
        people_search="",
        unit_search="",
        **kwargs,
    ):
        """``people_search``, ``unit_search``: the URLs a ``SearchSelect`` finds the members and
        units at (a subdistrict has thousands of members, a district thousands of units; without
        them the fields are plain selects). Units are searched only when there are more than a
        search shows (a liaison has a select of their own units)."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["unit"].queryset = units
        if unit_search:
            search_in_if_many(self.fields["unit"], unit_search)
        self.fields["person"].queryset = people
        if people_search:
            search_in(self.fields["person"], people_search)
        self.fields["area"].queryset = areas
        if not departments:
            self.fields["provider"].choices = [
                c for c in Resource.Provider.choices if c[0] != Resource.Provider.DEPARTMENT
            ]
            del self.fields["department"]

    @classmethod
    def initial_for(cls, resource: Resource) -> dict:
        return {
            name: getattr(resource, name)
            for name in cls.base_fields
            if name not in ("unit", "person", "department", "provider")
        }

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider")
        needed = {
            Resource.Provider.UNIT: ("unit", _("Choose the unit that offers the resource.")),
            Resource.Provider.MEMBER: ("person", _("Choose the member who offers the resource.")),
            Resource.Provider.DEPARTMENT: (
                "department",
                _("Name the subdistrict department that offers the resource."),
            ),
        }
        if provider in needed:
            field, message = needed[provider]
            if field in self.fields and not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("The end of availability is before its start."))
        return cleaned

    def provider_data(self) -> dict:
        """The provider as the service takes it: one of unit, person, department."""
        provider = self.cleaned_data["provider"]
        if provider == Resource.Provider.UNIT:
            return {"unit": self.cleaned_data["unit"]}
        if provider == Resource.Provider.MEMBER:
            return {"person": self.cleaned_data["person"]}
        return {"department": self.cleaned_data.get("department", "")}


class ResourceEditForm(ResourceForm):
    """Editing keeps the provider: who offers a resource is part of what it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("provider", "unit", "person", "department"):
            self.fields.pop(name, None)


# Projects ---------------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("project name"), max_length=200)
    level = forms.ChoiceField(label=_("level"), choices=Project.Level.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=Project.Kind.choices)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    programme = forms.ModelChoiceField(label=_("programme"), queryset=None, required=False)
    owner_area = forms.ModelChoiceField(
        label=_("owner area"),
        queryset=None,
        help_text=_(
            "A Fumin small project belongs to a residential community; "
            "a Fumin project to the subdistrict or a grid."
        ),
    )
    description = _text(_("description"), required=False, rows=4)
    needs = forms.ModelMultipleChoiceField(
        label=_("needs"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("resources"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args, programmes, areas, needs, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: f"{p.sector.name} · {p.name}"
        self.fields["owner_area"].queryset = areas
        self.fields["needs"].queryset = needs
        self.fields["resources"].queryset = resources
        self.fields["year"].initial = timezone.localdate().year

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        initial = {
            name: getattr(project, name)
            for name in cls.base_fields
            if name not in ("needs", "resources")
        }
        initial["needs"] = list(project.needs.all())
        initial["resources"] = list(project.resources.all())
        return initial


class ProjectEditForm(ProjectForm):
    """The level is fixed once a project exists (it decides who manages it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["level"]


class EvaluateForm(forms.Form):
    evaluation = _text(_("evaluation"), rows=4)


class AdjustForm(forms.Form):
    note = forms.CharField(label=_("what was adjusted"), max_length=300)


class CopyForwardForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = _date(_("due on"))


class ClaimForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None)
    mode = forms.ChoiceField(label=_("participation mode"), choices=Claim.Mode.choices)
    plan = _text(_("plan"), rows=3, help_text=_("How the unit intends to take part (具体设想)."))

    def __init__(self, *args, units, unit_search="", **kwargs):
        """``unit_search``: as ``ResourceForm``'s."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if unit_search:
            search_in_if_many(self.fields["unit"], unit_search)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


# Sectors, programmes, ceremonies ----------------------------------------------------------------


class SectorForm(forms.Form):
    name = forms.CharField(label=_("sector"), max_length=100)
    position = forms.IntegerField(label=_("position"), min_value=0, initial=100, required=False)


class ProgrammeForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("sector"), queryset=None)
    name = forms.CharField(label=_("programme"), max_length=150)
    position = forms.IntegerField(label=_("position"), min_value=0, initial=100, required=False)

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors


class CeremonyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    held_on = _date(_("held on"), required=True)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    area = forms.ModelChoiceField(label=_("area"), queryset=None)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if len(areas) == 1:
            self.fields["area"].initial = areas[0]
