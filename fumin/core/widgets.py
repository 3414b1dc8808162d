"""Form widgets shared by the console's forms."""

from copy import copy

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


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


def search_in(field: forms.ModelChoiceField, search_url: str) -> None:
    """Give ``field`` a ``SearchSelect`` finding its records at ``search_url``; its queryset may
    be set before or after (a field hands its choices to its widget when given a queryset)."""
    widget = SearchSelect(search_url)
    widget.choices, widget.is_required = field.choices, field.required
    field.widget = widget


def _chosen(queryset, values: list):
    """The records of ``queryset`` with these ids; none for a value that is no id at all (the
    form field says why it was refused)."""
    try:
        ids = [queryset.model._meta.pk.to_python(value) for value in values]
    except ValidationError:
        ids = []
    return queryset.filter(pk__in=ids) if ids else queryset.none()


SEARCH_RESULTS = 20


def search_options(request, find, label) -> HttpResponse:
    """The answer to a ``SearchSelect``'s search box: the first ``SEARCH_RESULTS`` records of
    ``find(q)`` (the matches, in the order to show), each as an ``<option>`` labelled
    ``label(record)``. An empty search answers 204, which HTMX does not swap in: clearing the box
    keeps the options and the choice made."""
    text = request.GET.get("q", "").strip()
    if not text:
        return HttpResponse(status=204)
    found = list(find(text)[: SEARCH_RESULTS + 1])
    context = {
        "options": [(record.pk, label(record)) for record in found[:SEARCH_RESULTS]],
        "more": len(found) > SEARCH_RESULTS,
    }
    return render(request, "core/widgets/search_options.html", context)
