"""Strategy routes. Each block belongs to one views module."""

from django.urls import path

from saferhub.strategy.views import actions, dashboards, exports, measures, returns, uploads

urlpatterns = [
    # Measure set-up comes first: its measures/new/ would otherwise match the measure page.
    # -- measure set-up (views/measures.py) --
    path("strategy/<slug:strategy>/measures/new/", measures.create, name="measure-create"),
    path("strategy/<slug:strategy>/measures/<slug:code>/edit/", measures.edit, name="measure-edit"),
    path(
        "strategy/<slug:strategy>/measures/<slug:code>/targets/",
        measures.targets,
        name="measure-targets",
    ),
    # -- dashboards (views/dashboards.py) --
    path("strategy/", dashboards.strategies, name="strategies"),
    path("strategy/<slug:strategy>/", dashboards.overview, name="overview"),
    path(
        "strategy/<slug:strategy>/priorities/<int:number>/",
        dashboards.priority,
        name="priority",
    ),
    path("strategy/<slug:strategy>/measures/<slug:code>/", dashboards.measure, name="measure"),
    # -- exports (views/exports.py) --
    path(
        "strategy/<slug:strategy>/measures/<slug:code>/export.<str:fmt>",
        exports.measure_table,
        name="measure-export",
    ),
    path(
        "strategy/<slug:strategy>/priorities/<int:number>/export.<str:fmt>",
        exports.priority_table,
        name="priority-export",
    ),
    # -- uploads (views/uploads.py) --
    path("strategy/<slug:strategy>/returns/upload/", uploads.upload, name="returns-upload"),
    path(
        "strategy/<slug:strategy>/returns/upload/template.csv",
        uploads.template,
        name="returns-upload-template",
    ),
    # -- returns (views/returns.py) --
    path("strategy/<slug:strategy>/returns/", returns.index, name="returns"),
    path("strategy/<slug:strategy>/returns/<slug:quarter>/", returns.detail, name="return"),
    path(
        "strategy/<slug:strategy>/returns/<slug:quarter>/<slug:agency>/",
        returns.detail,
        name="return-agency",
    ),
    path(
        "strategy/<slug:strategy>/returns/<slug:quarter>/<slug:agency>/review/",
        returns.review,
        name="return-review",
    ),
    path("approvals/", returns.approvals, name="approvals"),
    # -- actions and accountability (views/actions.py) --
    path("strategy/<slug:strategy>/actions/", actions.index, name="actions"),
    path("strategy/<slug:strategy>/actions/new/", actions.create, name="action-create"),
    path("actions/<int:pk>/", actions.detail, name="action"),
    path("strategy/<slug:strategy>/accountability/", actions.accountability, name="accountability"),
]
