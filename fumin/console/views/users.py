"""Staff pages for accounts: list, create, detail, password reset, audited unmasking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts import services
from fumin.accounts.access import require_capability
from fumin.accounts.forms import UserCreateForm
from fumin.accounts.models import Role
from fumin.accounts.scope import Capability, scope_of
from fumin.accounts.selectors import user_get, user_list
from fumin.audit.services import audit_unmasked_view
from fumin.core.paging import paginate, query_without_page
from fumin.registry.selectors import area_list, unit_list


def _get_user_or_404(request, public_id):
    user = user_get(viewer=request.user, public_id=public_id)
    if user is None:
        raise Http404
    return user


@require_capability(Capability.CONSOLE)
def user_index(request):
    text = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = paginate(request, user_list(viewer=request.user, text=text, role=role))
    context = {
        "users": users,
        "q": text,
        "role": role,
        "roles": Role.choices,
        "query": query_without_page(request),
    }
    template = "console/users/_table.html" if request.htmx else "console/users/index.html"
    return render(request, template, context)


def _grantable_roles(scope):
    roles = set(Role) - {Role.PLATFORM_ADMIN}
    if Role.PLATFORM_ADMIN in scope.roles:
        roles.add(Role.PLATFORM_ADMIN)
    return roles


@require_capability(Capability.MANAGE_USERS)
def user_create(request):
    scope = scope_of(request.user)
    form = UserCreateForm(
        request.POST or None,
        areas=area_list(viewer=request.user).order_by("path"),
        units=unit_list(viewer=request.user),
        roles=_grantable_roles(scope),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=request.user,
                    name=data["name"],
                    mobile=data["mobile"],
                    email=data["email"],
                    request=request,
                )
                services.role_grant(
                    actor=request.user,
                    user=user,
                    role=data["role"],
                    area=None if data["role"] == Role.UNIT_LIAISON else data["area"],
                    unit=data["unit"] if data["role"] == Role.UNIT_LIAISON else None,
                    request=request,
                )
                temporary = services.password_reset_by_admin(
                    actor=request.user, user=user, request=request
                )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                format_html(
                    _(
                        "Account created. Temporary password: <strong class='mono'>{}</strong> "
                        "(shown once; the user must change it at first login)."
                    ),
                    temporary,
                ),
            )
            return redirect("console:user_detail", public_id=user.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/users/create.html", {"form": form}, status=status)


@require_capability(Capability.CONSOLE)
def user_detail(request, public_id):
    user = _get_user_or_404(request, public_id)
    scope = scope_of(request.user)
    context = {
        "subject": user,
        "can_manage": scope.can(Capability.MANAGE_USERS),
        "can_unmask": scope.can(Capability.UNMASK_PERSONAL_DATA),
    }
    return render(request, "console/users/detail.html", context)


@require_POST
@require_capability(Capability.MANAGE_USERS)
def user_reset_password(request, public_id):
    user = _get_user_or_404(request, public_id)
    temporary = services.password_reset_by_admin(actor=request.user, user=user, request=request)
    messages.success(
        request,
        format_html(
            _(
                "Password reset. Temporary password: <strong class='mono'>{}</strong> "
                "(shown once; the user must change it at next login)."
            ),
            temporary,
        ),
    )
    return redirect("console:user_detail", public_id=user.public_id)


@require_POST
@require_capability(Capability.UNMASK_PERSONAL_DATA)
def user_unmask_mobile(request, public_id):
    """Show one full mobile number in place of the masked one, and write that to the audit log."""
    user = _get_user_or_404(request, public_id)
    audit_unmasked_view(actor=request.user, target=user, fields=["mobile"], request=request)
    return HttpResponse(format_html('<span class="mono">{}</span>', user.mobile))
