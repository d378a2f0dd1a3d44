from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "saferhub.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from saferhub.security import lockout, sessions  # noqa: F401  (connect their receivers)
