"""The audit log's pages, for CSP administrators."""

from django.urls import path

from saferhub.audit import views

urlpatterns = [
    path("audit/", views.search, name="audit-log"),
    path("audit/people/<int:pk>/", views.person, name="audit-person"),
]
