"""Django's admin, for CSP administrators only, signed in through saferhub's own sign-in
(both steps: the password and the code)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied

from saferhub.access.permissions import Action, can


class PartnershipAdminSite(admin.AdminSite):
    site_header = "saferhub administration"
    site_title = "saferhub administration"
    index_title = "Partnership set-up"

    def has_permission(self, request) -> bool:
        # The second step of signing in too (SecondFactorRequiredMiddleware already
        # insists on it for every page; the admin does not rely on that alone).
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified()) and can(request.user, Action.ADMINISTER)


class CountsOnlyAdmin(admin.ModelAdmin):
    """Every saferhub admin page's base. Deleting a partnership, agency or user would list,
    by name, every record that depends on it, victims included, to an administrator with
    no part in their cases: these pages show counts instead (the canary test checks)."""

    def get_deleted_objects(self, objs, request):
        _, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        summary = [f"{count} {name}" for name, count in model_count.items()]
        if protected:
            protected = [
                f"{len(protected)} record{'s' if len(protected) != 1 else ''} of case work "
                "or the strategy depend on it: they must be dealt with first"
            ]
        return summary, model_count, perms_needed, protected


class PartnershipAdminConfig(AdminConfig):
    default_site = "saferhub.admin_site.PartnershipAdminSite"


def admin_sign_in(request):
    """Where the admin sends people it will not serve: sign-in for visitors, and a plain
    403 for signed-in users whose roles do not allow it (sending them to sign in again
    would loop, since the sign-in page passes signed-in users straight on)."""
    # Imported here: this module is loaded as an app config, before the models are ready.
    from django.contrib.auth.views import redirect_to_login

    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))
