from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferhub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from saferhub.audit import signals  # noqa: F401  (connects sign-in and sign-out)
