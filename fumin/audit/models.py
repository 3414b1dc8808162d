"""The audit log: who did what to which record, and when. Rows are only ever added.

The model refuses updates and deletes, and the database refuses them too (triggers added in the
migration), so a bug or a hand-typed query cannot rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        ARCHIVE = "archive", _("archived")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOCKED_OUT = "locked_out", _("locked out")
        LOGOUT = "logout", _("logged out")
        PASSWORD_CHANGE = "password_change", _("changed password")
        PASSWORD_RESET = "password_reset", _("reset password")
        ROLE_GRANT = "role_grant", _("granted role")
        ROLE_REVOKE = "role_revoke", _("revoked role")
        VIEW_UNMASKED = "view_unmasked", _("viewed personal data unmasked")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # Accounts are deactivated, never deleted, while the log refers to them.
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Kept as text so the entry stays readable even if the actor's account is later renamed.
    actor_name = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_repr = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The area path the entry belongs to, so staff see the entries of their own subtree only.
    scope_path = models.CharField(_("scope"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        # Every audited write adds a row to each index, the busiest (a check-in) included: only
        # what the log is searched by (audit.0003). The scope is matched by path prefix (LIKE),
        # which on PostgreSQL needs the pattern operator class.
        indexes = [
            models.Index(fields=["action"], name="audit_action"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(
                fields=["scope_path"], name="audit_scope_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
