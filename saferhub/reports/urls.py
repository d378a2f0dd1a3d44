"""Reports routes. Each block belongs to one views module."""

from django.urls import path

from saferhub.reports.views import generate, highlights, report

urlpatterns = [
    # -- highlights (views/highlights.py) --
    path("reports/highlights/<int:pk>/edit/", highlights.edit, name="highlight-edit"),
    path("reports/highlights/<int:pk>/include/", highlights.include, name="highlight-include"),
    path("reports/highlights/<slug:strategy>/", highlights.index, name="highlights"),
    path("reports/highlights/<slug:strategy>/new/", highlights.create, name="highlight-create"),
    # -- the annual report (views/report.py) --
    path("reports/annual/<slug:strategy>/", report.choose, name="annual-reports"),
    path(
        "reports/annual/<slug:strategy>/<slug:year_ending>/",
        report.report,
        name="annual-report",
    ),
    # -- generating (views/generate.py) --
    path("reports/", generate.index, name="reports"),
    path("reports/generated/<int:pk>/", generate.status, name="generated-report"),
    path(
        "reports/generated/<int:pk>/progress/",
        generate.progress,
        name="generated-report-progress",
    ),
    path(
        "reports/generated/<int:pk>/download/",
        generate.download,
        name="generated-report-download",
    ),
]
