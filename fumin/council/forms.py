"""Forms for the council pages. They only shape input; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fumin.registry.models import Area, Unit

from .models import CouncilMeeting, CouncilMotionItem, SeatRole


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Name of the council"), max_length=200)
    area = forms.ModelChoiceField(label=_("Subdistrict"), queryset=Area.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class CouncilMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CouncilMotionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: list of additions and adjustments to the council."),
    )


class MotionItemForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=CouncilMotionItem.Action.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", "—"), *SeatRole.choices],
        help_text=_("For a new seat or a change of role."),
    )
    term_start = forms.DateField(
        label=_("Term start"),
        required=False,
        widget=_date_input(),
        help_text=_("For a new seat, or the day a new role starts."),
    )
    term_end = forms.DateField(
        label=_("Term end"),
        required=False,
        widget=_date_input(),
        help_text=_("The last day of the term; required when a seat ends."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MotionDecisionForm(forms.Form):
    """Which meeting decided the motion: required to approve, optional to reject."""

    meeting = forms.ModelChoiceField(
        label=_("Decided at the meeting"), queryset=CouncilMeeting.objects.none()
    )

    def __init__(self, *args, meetings, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].required = required
        if not required:
            self.fields["meeting"].label = _("Rejected at the meeting (if any)")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form, each on its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
