from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from fumin.core.phones import normalize_mobile
from fumin.core.widgets import search_in
from fumin.registry.models import Area, Unit

from .models import Role


class LoginForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "tel", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError(_("Your current password is not correct."))
        return self.cleaned_data["old_password"]

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords do not match."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class UserCreateForm(forms.Form):
    """Staff create an account with its first role; scope choices are limited to the actor's."""

    name = forms.CharField(label=_("Name"), max_length=200)
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, areas, units, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["unit"].queryset = units
        search_in(self.fields["unit"], reverse_lazy("console:unit_options"))  # thousands
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Enter a name."))
        return name

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.UNIT_LIAISON and not cleaned.get("unit"):
            self.add_error("unit", _("A unit liaison must be bound to a unit."))
        if role and role != Role.UNIT_LIAISON and role != Role.MEMBER and not cleaned.get("area"):
            self.add_error("area", _("This role must be bound to an area."))
        return cleaned
