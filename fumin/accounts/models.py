"""Accounts: people who log in, the roles they hold, and the record of login attempts.

A user logs in with a mainland mobile number. What a user may see is decided by role
assignments, each bound to a scope: a node of the area tree or a unit (see ``scope.py``).
"""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PinyinNameModel, PublicIdModel
from fumin.core.phones import normalize_mobile
from fumin.registry.models import Area, Unit


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, mobile, password=None, **fields):
        user = self.model(mobile=normalize_mobile(mobile), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, mobile):
        return self.get(mobile=normalize_mobile(mobile))


class User(PublicIdModel, PinyinNameModel, AbstractBaseUser):
    mobile = models.CharField(_("mobile number"), max_length=11, unique=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)
    # Set by an administrator's reset: the next login must choose a new password first.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # A new value whenever the user's role assignments change (``role_grant``, ``role_revoke``, in
    # the same transaction): ``scope_of`` keeps computed scopes by it (see ``scope.py``).
    roles_version = models.UUIDField(_("roles version"), default=uuid.uuid4, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name_pinyin"]

    def __str__(self):
        return self.name

    def get_username(self):
        return self.mobile


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("platform administrator")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("subdistrict staff")
    GRID_COORDINATOR = "grid_coordinator", _("grid coordinator")
    COMMUNITY_SECRETARY = "community_secretary", _("community secretary")
    UNIT_LIAISON = "unit_liaison", _("unit liaison")
    MEMBER = "member", _("member")


# The kind of area each area-bound role is bound to.
ROLE_AREA_KINDS = {
    Role.PLATFORM_ADMIN: {Area.Kind.CITY, Area.Kind.DISTRICT},
    Role.SUBDISTRICT_STAFF: {Area.Kind.SUBDISTRICT},
    Role.GRID_COORDINATOR: {Area.Kind.GRID},
    Role.COMMUNITY_SECRETARY: {Area.Kind.COMMUNITY},
    Role.MEMBER: {Area.Kind.COMMUNITY},
}


class RoleAssignment(models.Model):
    """A role a user holds over a scope. Revoked assignments are kept for the history."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # A unit liaison is bound to a unit; every other role to an area (a member's home
            # community is optional until they register with one).
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    Q(role=Role.UNIT_LIAISON, unit__isnull=False, area__isnull=True)
                    | Q(role=Role.MEMBER, unit__isnull=True)
                    | (
                        ~Q(role__in=[Role.UNIT_LIAISON, Role.MEMBER])
                        & Q(area__isnull=False, unit__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        """The name of what the role is bound to: its area or its unit."""
        return str(self.area or self.unit or "")

    def clean(self):
        kinds = ROLE_AREA_KINDS.get(self.role)
        if self.role == Role.UNIT_LIAISON:
            if not self.unit_id:
                raise ValidationError({"unit": _("A unit liaison must be bound to a unit.")})
        elif self.area_id and kinds and self.area.kind not in kinds:
            raise ValidationError({"area": _("This role cannot be bound to an area of this kind.")})
        elif not self.area_id and self.role != Role.MEMBER:
            raise ValidationError({"area": _("This role must be bound to an area.")})


class LoginAttempt(models.Model):
    """One try to log in, kept to lock out guessing and as the record of failed logins (the
    audit log has the successes and lockouts), for ``LOGIN_ATTEMPT_KEEP_DAYS``
    (``services.login_attempts_prune``)."""

    mobile = models.CharField(_("mobile number"), max_length=32, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self):
        return f"{self.mobile} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
