"""Safeguarding routes."""

from django.urls import path

from saferhub.safeguarding.views import referrals

urlpatterns = [
    path("safeguarding/referrals/", referrals.index, name="referrals"),
    path("safeguarding/referrals/new/", referrals.create, name="referral-create"),
    path("safeguarding/referrals/<int:pk>/", referrals.detail, name="referral"),
    path(
        "safeguarding/referrals/<int:pk>/confirmation/",
        referrals.confirmation,
        name="referral-confirmation",
    ),
    path("safeguarding/people/similar/", referrals.similar_people, name="people-similar"),
]
