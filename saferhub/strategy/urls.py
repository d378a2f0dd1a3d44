"""Strategy routes. Each block belongs to one views module."""

urlpatterns: list = [
    # -- dashboards (views/dashboards.py) --
    # -- exports (views/exports.py) --
    # -- uploads (views/uploads.py) --
    # -- returns (views/returns.py) --
    # -- actions and accountability (views/actions.py) --
    # -- measure set-up (views/measures.py) --
]
