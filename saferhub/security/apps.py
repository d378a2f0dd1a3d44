from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "saferhub.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from saferhub.security import sessions  # noqa: F401  (connects its receivers)
