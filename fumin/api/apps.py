from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fumin.api"
    verbose_name = "API"
