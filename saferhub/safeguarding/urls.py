"""Safeguarding routes."""

from django.urls import path

from saferhub.safeguarding.views import breakglass, case_export, meetings, referrals, safety_plans
from saferhub.safeguarding.views import imports as import_views
from saferhub.safeguarding.views import marac_return as return_views

urlpatterns = [
    path("safeguarding/referrals/", referrals.index, name="referrals"),
    path("safeguarding/referrals/new/", referrals.create, name="referral-create"),
    path("safeguarding/referrals/export/", case_export.export, name="referral-export"),
    path("safeguarding/referrals/<int:pk>/", referrals.detail, name="referral"),
    path(
        "safeguarding/referrals/<int:pk>/confirmation/",
        referrals.confirmation,
        name="referral-confirmation",
    ),
    path("safeguarding/people/similar/", referrals.similar_people, name="people-similar"),
    path(
        "safeguarding/referrals/<int:pk>/idva/", referrals.assign_idva, name="referral-assign-idva"
    ),
    # Meetings and safety plans.
    path("safeguarding/meetings/", meetings.index, name="meetings"),
    path("safeguarding/meetings/new/", meetings.create, name="meeting-create"),
    path("safeguarding/meetings/<int:pk>/", meetings.detail, name="meeting"),
    path("safeguarding/meetings/<int:pk>/change/", meetings.change, name="meeting-change"),
    path(
        "safeguarding/meetings/<int:meeting_pk>/cases/<int:pk>/",
        meetings.listed_case,
        name="listed-case",
    ),
    path("safeguarding/actions/", safety_plans.index, name="safety-actions"),
    path("safeguarding/actions/<int:pk>/", safety_plans.detail, name="safety-action"),
    path("safeguarding/break-glass/", breakglass.open_case, name="break-glass"),
    path("safeguarding/break-glass/report/", breakglass.report, name="break-glass-report"),
    # The SafeLives MARAC return: the page and its downloads (dates in the query string).
    path("safeguarding/return/", return_views.page, name="marac-return"),
    path("safeguarding/return/export.<str:fmt>", return_views.download, name="marac-return-export"),
    # Importing referral history (views/imports.py).
    path("safeguarding/imports/", import_views.index, name="referral-imports"),
    path("safeguarding/imports/<int:pk>/", import_views.status, name="referral-import"),
    path(
        "safeguarding/imports/<int:pk>/progress/",
        import_views.progress,
        name="referral-import-progress",
    ),
]
