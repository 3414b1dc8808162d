from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "fumin.transfer"
    verbose_name = _("Excel import and export")
