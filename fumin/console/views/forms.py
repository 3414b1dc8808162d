"""The one way console pages handle a form: validate, call a service, show errors by field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def handle_form(
    request, form, *, save, success_message: str, title: str, breadcrumbs=(), cancel_url: str = ""
):
    """Render ``form``; on a valid POST call ``save(cleaned_data)`` and follow its result.

    ``save`` returns the record it wrote (redirected to its ``get_absolute_url``) or a URL. A
    ``ValidationError`` from the service is put on the form's fields, and the page answers 400.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, success_message)
            return redirect(result if isinstance(result, str) else result.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": title, "breadcrumbs": breadcrumbs, "cancel_url": cancel_url}
    return render(request, "console/form.html", context, status=status)
