from django import forms
from django.utils.translation import gettext_lazy as _

from fumin.core.widgets import search_in, search_in_if_many
from fumin.registry.models import Area, PartyOrg, Unit

from .models import CoBuildingAgreement


class MemberRegistrationForm(forms.Form):
    """A member's registration, typed by the member on the portal or by community staff."""

    name = forms.CharField(label=_("Name"), max_length=200)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=30,
        required=False,
        help_text=_("Optional. Stored encrypted and shown masked."),
    )
    community = forms.ModelChoiceField(
        label=_("Home community"),
        queryset=Area.objects.none(),
        help_text=_("The residential community you live in."),
    )
    work_unit = forms.ModelChoiceField(
        label=_("work unit"), queryset=Unit.objects.none(), required=False
    )
    party_org = forms.ModelChoiceField(
        label=_("party organisation"), queryset=PartyOrg.objects.none(), required=False
    )
    specialities = forms.CharField(
        label=_("specialities"),
        max_length=300,
        required=False,
        help_text=_("e.g. law, medicine, calligraphy, IT"),
    )
    service_intent = forms.CharField(
        label=_("service intent"),
        max_length=300,
        required=False,
        help_text=_("What you would like to help with in the community."),
    )

    def __init__(
        self,
        *args,
        communities,
        units,
        party_orgs,
        unit_search="",
        party_org_search="",
        community_search="",
        **kwargs,
    ):
        """``unit_search``, ``party_org_search``: the URLs a ``SearchSelect`` finds them at, for
        choices among a whole city's (without them the fields are plain selects).
        ``community_search``: the same for the home community, used only when there are more
        communities than a search shows (a subdistrict's dozen stay a select)."""
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if community_search:
            search_in_if_many(self.fields["community"], community_search)
        self.fields["work_unit"].queryset = units
        self.fields["party_org"].queryset = party_orgs
        for name, url in (("work_unit", unit_search), ("party_org", party_org_search)):
            if url:
                search_in(self.fields[name], url)


class OrgRegistrationForm(forms.Form):
    party_org = forms.ModelChoiceField(
        label=_("party organisation"), queryset=PartyOrg.objects.none()
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Residential communities"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30)
    resources = forms.CharField(
        label=_("resources it can offer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    service_intent = forms.CharField(label=_("service intent"), max_length=300, required=False)

    def __init__(self, *args, party_orgs, communities, community_search="", **kwargs):
        """``community_search``: where the communities are found once there are more than a
        search shows (a unit may register with any community of the city)."""
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = party_orgs
        self.fields["communities"].queryset = communities
        if community_search:
            search_in_if_many(self.fields["communities"], community_search)


class UnitProposalForm(forms.Form):
    name = forms.CharField(label=_("unit name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    credit_code = forms.CharField(
        label=_("unified social credit code"), max_length=30, required=False
    )
    area = forms.ModelChoiceField(label=_("Where the unit sits"), queryset=Area.objects.none())
    party_org_name = forms.CharField(label=_("party organisation"), max_length=200)
    party_org_kind = forms.ChoiceField(
        label=_("kind of party organisation"), choices=PartyOrg.Kind.choices
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Residential communities"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30)
    resources = forms.CharField(
        label=_("resources it can offer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities
        self.fields["area"].queryset = communities


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class MoveForm(forms.Form):
    community = forms.ModelChoiceField(label=_("New home community"), queryset=Area.objects.none())

    def __init__(self, *args, communities, community_search="", **kwargs):
        """``community_search``: as ``MemberRegistrationForm``'s."""
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if community_search:
            search_in_if_many(self.fields["community"], community_search)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = CoBuildingAgreement
        fields = ["title", "signed_on", "term_start", "term_end", "content"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "term_start": forms.DateInput(attrs={"type": "date"}),
            "term_end": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 3}),
        }


def all_communities():
    """Every residential community: people register where they live, whoever types it in."""
    return Area.objects.filter(kind=Area.Kind.COMMUNITY, archived_at__isnull=True).order_by("path")
