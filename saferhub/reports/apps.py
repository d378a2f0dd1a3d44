from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "saferhub.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from saferhub.reports import scopes  # noqa: F401
