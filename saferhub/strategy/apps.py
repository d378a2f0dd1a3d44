from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "saferhub.strategy"
    label = "strategy"
    verbose_name = "Strategy and accountability"

    def ready(self) -> None:
        from saferhub.strategy import attention, derived_sources, scopes  # noqa: F401
