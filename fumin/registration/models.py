"""Dual registration (双报到) and dual reporting (双报告).

A unit's party organisation registers with one or more residential communities
(``OrgRegistration``), and each in-service party member registers with the community they live in
(``MemberRegistration``). The community confirms or rejects. Registrations are re-confirmed every
year; moving home ends one registration and opens the next, linked, so history is kept.
Periodically, what each member or unit did in the community is reported back to their own party
organisation (``ServiceReport``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fumin.core.models import PublicIdModel, TimestampedModel
from fumin.registry.models import Area, PartyOrg, Person, Unit


class Status(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    TRANSFERRED = "transferred", _("moved to another community")
    ENDED = "ended", _("deregistered")


# A registration in one of these holds the person's (or organisation's) place in the community.
ACTIVE = (Status.PENDING, Status.CONFIRMED)


class RegistrationBase(PublicIdModel, TimestampedModel):
    community = models.ForeignKey(
        Area, verbose_name=_("residential community"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    service_intent = models.CharField(_("service intent"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The first confirmation decides the period a registration counts in; the latest one whether
    # the yearly re-confirmation is due.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def area(self) -> Area:
        """The area a registration is scoped (and audited) by: its community."""
        return self.community

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class UnitProposal(PublicIdModel, TimestampedModel):
    """A unit not yet in the registry, proposed from the registration flow; created only when
    subdistrict staff approve it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    name = models.CharField(_("unit name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Unit.Kind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    party_org_name = models.CharField(_("party organisation"), max_length=200)
    party_org_kind = models.CharField(
        _("kind of party organisation"), max_length=20, choices=PartyOrg.Kind.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit proposal")
        verbose_name_plural = _("unit proposals")

    def __str__(self):
        return self.name


class OrgRegistration(RegistrationBase):
    """A unit's party organisation registered with a community (单位党组织报到)."""

    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    # Until staff approve a proposed unit, the registration points at the proposal.
    proposal = models.ForeignKey(
        UnitProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    resources = models.TextField(_("resources it can offer"), blank=True)

    class Meta:
        verbose_name = _("organisation registration")
        verbose_name_plural = _("organisation registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_org", "community"],
                condition=Q(status__in=ACTIVE),
                name="org_registration_once_per_community",
            ),
            models.CheckConstraint(
                name="org_registration_names_its_organisation",
                condition=Q(party_org__isnull=False) | Q(proposal__isnull=False),
            ),
        ]

    def __str__(self):
        name = self.party_org.name if self.party_org_id else self.proposal.party_org_name
        return f"{name} → {self.community}"


class CoBuildingAgreement(PublicIdModel, TimestampedModel):
    """The co-building agreement (共建协议) a confirmed organisation registration may carry."""

    registration = models.ForeignKey(
        OrgRegistration, on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    content = models.TextField(_("content"), blank=True)

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-term_start"]

    def __str__(self):
        return self.title

    @property
    def area(self) -> Area:
        return self.registration.community


class MemberRegistration(RegistrationBase):
    """An in-service party member registered with their home community (在职党员报到)."""

    class Channel(models.TextChoices):
        SELF = "self", _("by the member on the portal")
        UNIT = "unit", _("in bulk by the unit")
        COMMUNITY = "community", _("entered by the community")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations"
    )
    grid = models.ForeignKey(
        Area,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_unit = models.ForeignKey(
        Unit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_registrations",
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_registrations",
    )
    specialities = models.CharField(_("specialities"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next",
        help_text=_("The registration this one continues after a move."),
    )

    class Meta:
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")
        ordering = ["-created_at"]
        constraints = [
            # One person holds one active registration at a time: a second attempt finds it.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=ACTIVE),
                name="member_registration_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.community}"


# The dual-reporting models live in their own module; importing them here registers them.
from .report_models import ReconfirmationReminder, ServiceReport  # noqa: E402, F401
