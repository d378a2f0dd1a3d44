from django.contrib import admin
from django.urls import include, path

from saferhub.admin_site import admin_sign_in
from saferhub.home.views import home
from saferhub.partnership import views as partnership

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", partnership.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", partnership.sign_in_code, name="sign-in-code"),
    path(
        "sign-in/authenticator/",
        partnership.sign_in_authenticator,
        name="sign-in-authenticator",
    ),
    path("sign-out/", partnership.sign_out, name="sign-out"),
    path("account/", partnership.account, name="account"),
    path("account/password/", partnership.ChangePasswordView.as_view(), name="change-password"),
    path("account/recovery-codes/", partnership.recovery_codes, name="recovery-codes"),
    path("partnership/", partnership.directory, name="directory"),
    path("partnership/agencies/<slug:code>/", partnership.agency, name="agency"),
    # One way in: the admin signs in through saferhub's sign-in page, not its own.
    path("admin/login/", admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("", include("saferhub.strategy.urls")),
    path("", include("saferhub.reports.urls")),
    path("", include("saferhub.safeguarding.urls")),
    path("", include("saferhub.audit.urls")),
    path("", include("saferhub.governance.urls")),
    # /healthz and /readyz for the load balancer: public, no personal data.
    path("", include("saferhub.ops.urls")),
]

handler403 = "saferhub.errors.forbidden"
handler404 = "saferhub.errors.not_found"
handler500 = "saferhub.errors.server_error"
