"""Login, logout and password change: thin views over the account services."""

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record

from . import services
from .forms import LoginForm, PasswordChangeForm


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                mobile=form.cleaned_data["mobile"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except services.LockedOut as locked:
            form.add_error(
                None,
                _("Too many failed attempts. This number is locked for %(minutes)d minutes.")
                % {"minutes": locked.minutes},
            )
        except ValidationError as error:
            form.add_error("mobile", error)
        else:
            if user is None:
                form.add_error(None, _("The mobile number or password is not correct."))
            else:
                login(request, user)
                return redirect(_safe_next(request) or "home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/login.html", {"form": form, "next": _safe_next(request)}, status=status
    )


@require_POST
def logout_view(request):
    audit_record(
        actor=request.user, action=AuditEntry.Action.LOGOUT, target=request.user, request=request
    )
    logout(request)
    return redirect("accounts:login")


@sensitive_post_parameters()
@never_cache
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password was changed."))
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)
