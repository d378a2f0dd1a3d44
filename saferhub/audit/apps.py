from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferhub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from saferhub.audit import signals  # noqa: F401  (connects sign-in and sign-out)
        from saferhub.audit.append_only import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="audit_maintenance")
