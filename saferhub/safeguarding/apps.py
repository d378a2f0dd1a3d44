from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "saferhub.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding: high-risk domestic abuse"

    def ready(self) -> None:
        from saferhub.safeguarding import (  # noqa: F401
            attention,
            derived_sources,
            reminders,
            report_sections,
            scopes,
        )
