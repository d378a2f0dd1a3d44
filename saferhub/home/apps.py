from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "saferhub.home"
    label = "home"
    verbose_name = "Home"
