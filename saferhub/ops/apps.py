from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "saferhub.ops"
    label = "ops"
    verbose_name = "Operations"
