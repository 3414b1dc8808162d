"""Error messages that name their field, the one way every page and import words them."""

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def labelled(label: str, message: str) -> str:
    """``label: message`` in the active language (Chinese puts a full-width colon)."""
    if not label:
        return str(message)
    return _("%(label)s: %(message)s") % {"label": label, "message": message}


def error_lines(
    error: ValidationError, labels: Mapping[str, str] | Callable[[str], str] | None = None
) -> list[str]:
    """One line per message, each naming its field by its label (``labels`` maps or computes
    labels; an unknown field is named as it is; errors of no field stand alone)."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    if labels is None:
        labels = {}
    label_for = labels if callable(labels) else lambda field: labels.get(field, field)
    return [
        labelled("" if field == "__all__" else str(label_for(field)), message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]
