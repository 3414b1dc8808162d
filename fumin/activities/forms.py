"""Forms for the activity pages. They check input and name the field in error; the services
write, so the console, the API and the commands share one path."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from fumin.core.widgets import search_in, search_in_if_many

from .models import Activity, PointsRule

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
    )
    project = forms.ModelChoiceField(
        label=_("project"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        help_text=_("The Fumin project the activity belongs to, if any."),
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
    latitude = forms.DecimalField(
        label=_("latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=_("Optional geofence for self check-in: latitude, longitude and radius."),
    )
    longitude = forms.DecimalField(
        label=_("longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
    )
    geofence_radius_m = forms.IntegerField(
        label=_("geofence radius (metres)"), required=False, min_value=10, max_value=50_000
    )

    def __init__(self, *args, communities, units, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        search_in_if_many(self.fields["community"], reverse_lazy("console:community_options"))
        self.fields["host_units"].queryset = units
        search_in(self.fields["host_units"], reverse_lazy("console:unit_options"))
        self.fields["project"].queryset = projects

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
        geofence_complete_or_none(self, cleaned)
        return cleaned


GEOFENCE_FIELDS = ("latitude", "longitude", "geofence_radius_m")


def geofence_complete_or_none(form, cleaned) -> None:
    given = [name for name in GEOFENCE_FIELDS if cleaned.get(name) is not None]
    if given and len(given) < len(GEOFENCE_FIELDS):
        for name in GEOFENCE_FIELDS:
            if name not in given and name not in form.errors:
                form.add_error(
                    name,
                    _(
                        "A geofence needs a latitude, a longitude and a radius; "
                        "fill in all three or none."
                    ),
                )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``<input type="file" multiple>``); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


PHOTO_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"


class CloseForm(forms.Form):
    beneficiaries = forms.IntegerField(
        label=_("beneficiaries (person-times)"),
        min_value=0,
        help_text=_("How many people the activity served, counted in person-times."),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleFileField(
        label=_("photos"),
        required=False,
        help_text=_("Optional: JPEG, PNG or WebP, up to 5 MB each."),
    )

    def clean_photos(self):
        from .services import MAX_PHOTOS, photo_check

        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Add at most %(n)s photos.") % {"n": MAX_PHOTOS})
        errors = []
        for photo in photos:
            try:
                photo_check(photo)
            except ValidationError as error:
                errors.extend(error.message_dict.get("photos", error.messages))
        if errors:
            raise ValidationError(errors)
        return photos


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


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SeriesForm(forms.Form):
    """A repeating activity: the template, when it repeats, and until when."""

    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices)
    community = forms.ModelChoiceField(label=_("residential community"), queryset=None)
    host_units = forms.ModelMultipleChoiceField(
        label=_("host units"),
        queryset=None,
        required=False,
    )
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    capacity = forms.IntegerField(
        label=_("capacity"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(
        label=_("first day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=24 * 60
    )
    frequency = forms.ChoiceField(
        label=_("repeats"),
        choices=[("weekly", _("weekly")), ("monthly", _("monthly"))],
        widget=forms.RadioSelect,
        initial="weekly",
    )
    interval = forms.IntegerField(
        label=_("every"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=_("1: every week (or month); 2: every other one; and so on."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("on weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a weekly series."),
    )
    month_day = forms.IntegerField(
        label=_("on day of the month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("For a monthly series; months without this day are skipped."),
    )
    until = forms.DateField(
        label=_("until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day (inclusive); or give a number of times instead."),
    )
    count = forms.IntegerField(label=_("number of times"), min_value=1, required=False)
    publish = forms.BooleanField(
        label=_("publish the occurrences"),
        required=False,
        help_text=_("Otherwise each occurrence is made as a draft."),
    )

    def __init__(self, *args, communities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        search_in_if_many(self.fields["community"], reverse_lazy("console:community_options"))
        self.fields["host_units"].queryset = units
        search_in(self.fields["host_units"], reverse_lazy("console:unit_options"))

    def clean(self):
        from .services import recurrence_rule

        cleaned = super().clean()
        if any(name in self.errors for name in ("frequency", "interval", "until", "count")):
            return cleaned
        try:
            cleaned["rrule"] = recurrence_rule(
                frequency=cleaned.get("frequency"),
                interval=cleaned.get("interval") or 1,
                weekdays=cleaned.get("weekdays"),
                month_day=cleaned.get("month_day"),
                until=cleaned.get("until"),
                count=cleaned.get("count"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class PointsRuleForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    basis = forms.ChoiceField(label=_("basis"), choices=PointsRule.Basis.choices)
    points = forms.IntegerField(label=_("points"), min_value=1, max_value=10_000)
    activity_kind = forms.ChoiceField(
        label=_("activity kind"),
        choices=[("", _("every kind")), *Activity.Kind.choices],
        required=False,
        help_text=_("Leave empty to apply to every kind."),
    )
    active = forms.BooleanField(
        label=_("active"),
        required=False,
        initial=True,
        help_text=_("An inactive rule awards nothing at closing; its past points stay."),
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    community = forms.ModelChoiceField(
        label=_("residential community"), queryset=None, required=False
    )
    unit = forms.ModelChoiceField(label=_("unit"), queryset=None, required=False)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, communities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        search_in_if_many(self.fields["community"], reverse_lazy("console:community_options"))
        self.fields["unit"].queryset = units
        search_in(self.fields["unit"], reverse_lazy("console:unit_options"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("community") and not cleaned.get("unit") and not self.errors:
            self.add_error("community", _("A team belongs to a community or a unit."))
        return cleaned


class TeamEditForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    archived = forms.BooleanField(
        label=_("archived"),
        required=False,
        help_text=_("An archived team is no longer offered; its history stays."),
    )
