"""Information governance routes: subject access and erasure (CSP administrators)."""

from django.urls import path

from saferhub.governance import views

urlpatterns = [
    path("governance/subject-access/", views.find, name="subject-access"),
    path("governance/subject-access/person/", views.person, name="subject-access-person"),
    path(
        "governance/subject-access/alleged-perpetrator/",
        views.perpetrator,
        name="subject-access-perpetrator",
    ),
    path("governance/erasure/person/", views.erase, name="erase-person"),
]
