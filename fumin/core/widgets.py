"""Form widgets shared by the console's forms."""

import re
from copy import copy

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

SEARCH_RESULTS = 20
FIELD_NAME = re.compile(r"[\w-]{1,100}")  # a form field's name, with a formset's prefix


class SearchSelect(forms.Select):
    """A select for a choice among thousands of records (a subdistrict's party members): it holds
    only the chosen record, and a search box above it fetches the matches from ``search_url`` as
    ``<option>`` elements (HTMX), which replace the select's options.

    The form field stays a ``ModelChoiceField`` over the whole queryset, so whatever is posted is
    checked against it as before; only the page stops carrying every record.
    """

    template_name = "core/widgets/search_select.html"

    def __init__(self, search_url: str, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        return context

    def optgroups(self, name, value, attrs=None):
        """The empty choice and the chosen record only (not the whole queryset)."""
        everything = self.choices
        narrowed = copy(everything)
        narrowed.queryset = _chosen(everything.queryset, [v for v in value if v not in (None, "")])
        self.choices = narrowed
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """Several choices among thousands of records (an activity's host units): the chosen records
    as ticked boxes, and a search box whose matches arrive as unticked boxes (HTMX).

    Every search sends the ticked boxes along (``hx-include``) and the answer lists them again,
    ticked, ahead of the new matches, so a choice survives any number of searches and unticking
    one drops it, without script of our own. The form field stays a
    ``ModelMultipleChoiceField`` over the whole queryset.
    """

    template_name = "core/widgets/search_select_multiple.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["choices_box"] = _options_context(
            name,
            [
                (option["value"], option["label"], True)
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
                if option["value"] not in (None, "")
            ],
            more=False,
            searched=False,
        )
        return context


def search_in(field: forms.ModelChoiceField, search_url: str) -> None:
    """Give ``field`` a ``SearchSelect`` (a ``SearchSelectMultiple`` for several choices) finding
    its records at ``search_url``; its queryset may be set before or after (a field hands its
    choices to its widget when given a queryset)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = (SearchSelectMultiple if multiple else SearchSelect)(search_url)
    widget.choices, widget.is_required = field.choices, field.required
    field.widget = widget


def search_in_if_many(field: forms.ModelChoiceField, search_url: str) -> None:
    """``search_in`` when the field's queryset holds more records than one search shows: a
    liaison choosing among their own two units is quicker with a plain select."""
    if field.queryset.count() > SEARCH_RESULTS:
        search_in(field, search_url)


def _chosen(queryset, values: list):
    """The records of ``queryset`` with these ids; none for a value that is no id at all (the
    form field says why it was refused)."""
    try:
        ids = [queryset.model._meta.pk.to_python(value) for value in values]
    except ValidationError:
        ids = []
    return queryset.filter(pk__in=ids) if ids else queryset.none()


def search_options(request, find, label) -> HttpResponse:
    """The answer to a search box: the first ``SEARCH_RESULTS`` records of ``find(q)`` (the
    matches, in the order to show), each labelled ``label(record)``. An empty search answers 204,
    which HTMX does not swap in: clearing the box keeps the options and the choices made.

    For a ``SearchSelect`` the matches are ``<option>`` elements. For a ``SearchSelectMultiple``
    (the request names its field in ``multiple`` and carries the ticked ids under that name) they
    are boxes: first the ticked records, still ticked, then the other matches. Ticked ids are
    looked up in ``find("")``, every record the viewer may choose, so an id from elsewhere is
    dropped rather than shown."""
    text = request.GET.get("q", "").strip()
    if not text:
        return HttpResponse(status=204)
    name = request.GET.get("multiple", "")
    if name:
        if not FIELD_NAME.fullmatch(name):
            return HttpResponseBadRequest(
                _("%(field)s: not the name of a form field.") % {"field": "multiple"}
            )
        chosen = list(_chosen(find(""), request.GET.getlist(name)))
        found = list(find(text).exclude(pk__in=[r.pk for r in chosen])[: SEARCH_RESULTS + 1])
        options = [(r.pk, label(r), True) for r in chosen]
        options += [(r.pk, label(r), False) for r in found[:SEARCH_RESULTS]]
        context = _options_context(name, options, len(found) > SEARCH_RESULTS, searched=True)
        context["found"] = min(len(found), SEARCH_RESULTS)
        return render(request, "core/widgets/search_checkboxes.html", context)
    found = list(find(text)[: SEARCH_RESULTS + 1])
    context = {
        "options": [(record.pk, label(record)) for record in found[:SEARCH_RESULTS]],
        "more": len(found) > SEARCH_RESULTS,
    }
    return render(request, "core/widgets/search_options.html", context)


def _options_context(name: str, options: list, more: bool, searched: bool) -> dict:
    """What ``search_checkboxes.html`` shows: the field's ``name``, ``(value, label, ticked)``
    per box, whether more matched than are shown, and whether this answers a search."""
    return {"name": name, "options": options, "more": more, "searched": searched}
