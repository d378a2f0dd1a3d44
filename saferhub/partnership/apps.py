from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "saferhub.partnership"
    label = "partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from saferhub.partnership import attention, scopes  # noqa: F401  (registers rules)
