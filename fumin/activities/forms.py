"""Forms for the activity pages. They check input and name the field in error; the services
write, so the console, the API and the commands share one path."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">``: the browser shows and sends Shanghai wall time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_INPUT)


def _datetime(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=help_text,
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices)
    community = forms.ModelChoiceField(label=_("residential community"), queryset=None)
    host_units = forms.ModelMultipleChoiceField(
        label=_("host units"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    starts_at = _datetime(_("starts at"))
    ends_at = _datetime(_("ends at"))
    capacity = forms.IntegerField(
        label=_("capacity"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    signup_opens_at = _datetime(_("sign-up opens at"), required=False)
    signup_closes_at = _datetime(
        _("sign-up closes at"),
        required=False,
        help_text=_("Leave empty: sign-up closes when the activity starts."),
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, communities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["host_units"].queryset = units

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        initial = {
            name: getattr(activity, name) for name in cls.base_fields if name != "host_units"
        }
        initial["host_units"] = list(activity.host_units.all())
        return initial

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("An activity ends after it starts."))
        return cleaned


class CloseForm(forms.Form):
    beneficiaries = forms.IntegerField(
        label=_("beneficiaries (person-times)"),
        min_value=0,
        help_text=_("How many people the activity served, counted in person-times."),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class HoursCorrectionForm(forms.Form):
    delta = forms.DecimalField(
        label=_("hours added (negative: removed)"),
        max_digits=6,
        decimal_places=2,
        min_value=-24,
        max_value=24,
    )
    reason = forms.CharField(label=_("reason"), max_length=500)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("A correction is between -24 and 24 hours, and not 0."))
        return delta
