from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "fumin.registration"
    verbose_name = _("Dual registration and dual reporting")
