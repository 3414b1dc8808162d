"""Forms for registry records. They validate input and name the field in error; saving is done by
the services, so the pages, the API and the imports share one write path."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fumin.core.widgets import search_in

from .models import Alliance, Area, JointMeeting, PartyOrg, Person, Place, Unit
from .services import normalize_id_number, unit_clean_credit_code


class ScopedModelForm(forms.ModelForm):
    """A model form whose choice fields offer only what the viewer may see.

    ``choices`` maps a field name to a queryset from a selector; ``searches`` maps a field name
    to the URL a ``SearchSelect`` finds its records at, for choices among thousands. Uniqueness is
    left to the services (which know about archived records and the keyed ID hash).
    """

    def __init__(self, *args, choices: dict, searches: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for field, queryset in choices.items():
            if field in self.fields:
                self.fields[field].queryset = queryset
        for field, url in (searches or {}).items():
            if field in self.fields:
                search_in(self.fields[field], url)

    def validate_unique(self):
        pass


class PlaceForm(ScopedModelForm):
    class Meta:
        model = Place
        fields = ["name", "kind", "area", "address"]


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "kind",
            "credit_code",
            "area",
            "place",
            "address",
            "contact_name",
            "contact_phone",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_credit_code(self):
        return unit_clean_credit_code(self.cleaned_data.get("credit_code"))


class PartyOrgForm(ScopedModelForm):
    class Meta:
        model = PartyOrg
        fields = ["name", "kind", "unit", "community", "parent", "secretary_name", "member_count"]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("unit")) == bool(cleaned.get("community")):
            self.add_error(
                "unit", _("Choose either the unit or the community the organisation belongs to.")
            )
        return cleaned


class PersonForm(ScopedModelForm):
    id_number = forms.CharField(
        label=_("resident ID number"),
        required=False,
        max_length=30,
        help_text=_("Optional. 18 characters; stored encrypted and shown masked."),
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "mobile",
            "gender",
            "home_community",
            "work_unit",
            "is_party_member",
            "party_org",
            "skills",
            "consent_scope",
            "consent_method",
        ]
        widgets = {"mobile": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["id_number"].help_text = _(
                "Leave empty to keep the stored number; type a new one to replace it."
            )

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip()
        if value:
            try:
                return normalize_id_number(value)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["id_number"]) from error
        return ""

    def clean_mobile(self):
        from fumin.core.phones import normalize_mobile

        value = (self.cleaned_data.get("mobile") or "").strip()
        return normalize_mobile(value) if value else None

    def _post_clean(self):
        # The model's own mobile and ID checks run in the services; the form only shapes input.
        pass


class AllianceForm(ScopedModelForm):
    class Meta:
        model = Alliance
        fields = ["name", "kind", "area", "lead_unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class JointMeetingForm(ScopedModelForm):
    class Meta:
        model = JointMeeting
        fields = ["name", "level", "area", "place", "chair_unit"]


class MemberUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def community_choices(areas):
    return areas.filter(kind=Area.Kind.COMMUNITY).order_by("path")
