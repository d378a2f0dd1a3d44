from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "saferhub.access"
    label = "access"
    verbose_name = "Access"
