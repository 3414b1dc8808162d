"""Console pages for repeating activities (活动系列): make a series from a recurrence rule, see its
occurrences, and generate the missing ones. Writes go through ``fumin.activities.services``
(``series_create``, ``series_generate``); generating twice makes nothing new."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.activities import services
from fumin.activities.forms import SeriesForm
from fumin.activities.selectors import series_get
from fumin.registry.selectors import area_list, unit_list

from .forms import handle_form

RULE_FIELDS = ("frequency", "interval", "weekdays", "month_day", "until", "count")


def _series_or_404(request, public_id):
    series = series_get(viewer=request.user, public_id=public_id)
    if series is None:
        raise Http404
    return series


@require_capability(Capability.EDIT_REGISTRY)
def series_create(request):
    """A new series: its occurrences are generated at once (drafts unless it says publish)."""
    communities = area_list(viewer=request.user, kind="community").order_by("path")
    initial = {"community": communities[0]} if len(communities) == 1 else None
    form = SeriesForm(
        request.POST or None,
        communities=communities,
        units=unit_list(viewer=request.user),
        initial=initial,
    )

    def save(data):
        data = dict(data)
        for name in RULE_FIELDS:
            data.pop(name, None)
        series = services.series_create(actor=request.user, request=request, **data)
        created = services.series_generate(actor=request.user, series=series, request=request)
        messages.info(request, _("%(n)s activities generated.") % {"n": len(created)})
        return reverse("console:activity_series_detail", args=[series.public_id])

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Series saved."),
        title=_("New repeating activity"),
        breadcrumbs=[(capfirst(_("activities")), reverse("console:activity_index"))],
        cancel_url=reverse("console:activity_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def series_detail(request, public_id):
    series = _series_or_404(request, public_id)
    context = {
        "series": series,
        "host_units": list(series.host_units.all()),
        "activities": series.activities.order_by("starts_at", "pk"),
    }
    return render(request, "console/activities/series_detail.html", context)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def series_generate(request, public_id):
    series = _series_or_404(request, public_id)
    try:
        created = services.series_generate(actor=request.user, series=series, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{_('recurrence rule')}: {message}")
    else:
        if created:
            messages.success(request, _("%(n)s activities generated.") % {"n": len(created)})
        else:
            messages.info(request, _("Nothing to generate: every occurrence exists."))
    return redirect("console:activity_series_detail", public_id=series.public_id)
