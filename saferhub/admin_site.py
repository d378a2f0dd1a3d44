"""Django's admin, for CSP administrators only, signed in through saferhub's own sign-in."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from saferhub.access.permissions import Action, can


class PartnershipAdminSite(admin.AdminSite):
    site_header = "saferhub administration"
    site_title = "saferhub administration"
    index_title = "Partnership set-up"

    def has_permission(self, request) -> bool:
        return can(request.user, Action.ADMINISTER)


class PartnershipAdminConfig(AdminConfig):
    default_site = "saferhub.admin_site.PartnershipAdminSite"
