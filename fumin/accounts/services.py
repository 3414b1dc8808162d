"""Writes to accounts: login, passwords, users and roles. Views, API and commands call these."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record
from fumin.core.phones import normalize_mobile
from fumin.notifications.services import notify

from .models import LoginAttempt, Role, RoleAssignment, User
from .scope import Capability, scope_of

# No look-alike characters (0/O, 1/l/I) in passwords people read aloud or copy from a screen.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


class LockedOut(Exception):
    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(minutes)


def _recent_failures(mobile: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    last_success = (
        LoginAttempt.objects.filter(mobile=mobile, succeeded=True, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = LoginAttempt.objects.filter(mobile=mobile, succeeded=False, at__gte=since)
    if last_success:
        failures = failures.filter(at__gt=last_success)
    return failures.count()


def login_attempts_prune() -> int:
    """Delete the login attempts older than ``LOGIN_ATTEMPT_KEEP_DAYS`` (180 by default: network
    logs are kept six months under the Cybersecurity Law), never those the lockout still counts.
    A mobile number with an IP address is personal data, kept no longer than that. Returns how
    many were deleted."""
    keep = max(
        timedelta(days=settings.LOGIN_ATTEMPT_KEEP_DAYS),
        timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS),
    )
    deleted, _by_model = LoginAttempt.objects.filter(at__lt=timezone.now() - keep).delete()
    return deleted


def login_check(*, mobile: str, password: str, request=None) -> User | None:
    """Authenticate a login, enforcing the lockout. Returns the user, or None for bad credentials.

    Raises ``ValidationError`` for a malformed mobile number and ``LockedOut`` once the number has
    failed too often in the window; while locked, even the right password is refused.
    """
    mobile = normalize_mobile(mobile)
    ip = request.META.get("REMOTE_ADDR") if request else None
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
    if _recent_failures(mobile) >= settings.LOGIN_FAILURE_LIMIT:
        LoginAttempt.objects.create(mobile=mobile, ip_address=ip, succeeded=False)
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOCKED_OUT,
            request=request,
            note=mobile[:3] + "****" + mobile[-4:],
            scope_path="",
        )
        raise LockedOut(minutes)
    user = authenticate(request, mobile=mobile, password=password)
    LoginAttempt.objects.create(mobile=mobile, ip_address=ip, succeeded=user is not None)
    if user is None:
        if _recent_failures(mobile) >= settings.LOGIN_FAILURE_LIMIT:
            raise LockedOut(minutes)
        return None
    audit_record(actor=user, action=AuditEntry.Action.LOGIN, target=user, request=request)
    return user


def password_change(*, user: User, new_password: str, request=None) -> None:
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action=AuditEntry.Action.PASSWORD_CHANGE, target=user, request=request)


def _require_manageable(actor, user: User) -> None:
    from .selectors import user_list

    if not scope_of(actor).can(Capability.MANAGE_USERS):
        raise PermissionDenied
    if not user_list(viewer=actor).filter(pk=user.pk).exists():
        raise PermissionDenied


@transaction.atomic
def password_reset_by_admin(*, actor, user: User, request=None) -> str:
    """Give ``user`` a temporary password that must be changed at the next login.

    Returns the temporary password so the administrator can pass it on in person; the user is
    also told through their inbox and by SMS that their password was reset.
    """
    _require_manageable(actor, user)
    temporary = "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(10))
    user.set_password(temporary)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action=AuditEntry.Action.PASSWORD_RESET, target=user, request=request)
    notify(
        recipient=user,
        title=_("An administrator set a temporary password"),
        body=_(
            "Log in with the temporary password the administrator gave you and choose a new one."
        ),
        channels=["sms"],
    )
    return temporary


@transaction.atomic
def user_create(
    *,
    actor,
    name: str,
    mobile: str,
    password: str | None = None,
    email: str = "",
    request=None,
) -> User:
    mobile = normalize_mobile(mobile)
    if User.objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("A user with this mobile number already exists.")})
    user = User(name=name.strip(), mobile=mobile, email=email)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password", "name_pinyin", "name_initials"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=user,
        request=request,
        after={"name": user.name},
        scope_path="" if actor is None else None,
    )
    return user


def _roles_changed(user: User) -> None:
    """Give ``user`` a new ``roles_version`` in the transaction that changes their roles: the
    scopes computed before (``scope_of`` keeps them by it) are never found again."""
    user.roles_version = uuid.uuid4()
    User.objects.filter(pk=user.pk).update(roles_version=user.roles_version)
    user.__dict__.pop("_fumin_scope", None)


@transaction.atomic
def role_grant(*, actor, user: User, role: str, area=None, unit=None, request=None):
    """Give ``user`` a role over an area or unit the actor itself may manage."""
    if actor is not None:  # None: the system itself (demo data, first administrator)
        scope = scope_of(actor)
        if not scope.can(Capability.MANAGE_USERS):
            raise PermissionDenied
        if area is not None and not scope.contains_area(area):
            raise PermissionDenied
        if unit is not None and not scope.contains_area(unit.area):
            raise PermissionDenied
        if role == Role.PLATFORM_ADMIN and Role.PLATFORM_ADMIN not in scope.roles:
            raise PermissionDenied
    existing = RoleAssignment.objects.filter(
        user=user, role=role, area=area, unit=unit, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    assignment = RoleAssignment(
        user=user,
        role=role,
        area=area,
        unit=unit,
        granted_by=actor if getattr(actor, "pk", None) else None,
    )
    assignment.full_clean()
    assignment.save()
    _roles_changed(user)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ROLE_GRANT,
        target=user,
        request=request,
        after={"role": role, "area": area, "unit": unit},
        scope_path=(area.path if area else unit.area.path if unit else ""),
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, request=None) -> None:
    _require_manageable(actor, assignment.user)
    if assignment.revoked_at:
        return
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    _roles_changed(assignment.user)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ROLE_REVOKE,
        target=assignment.user,
        request=request,
        before={"role": assignment.role, "area": assignment.area, "unit": assignment.unit},
    )
