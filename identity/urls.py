"""/oidc/ (single sign-on) and /accounts/two-factor/ (second factor of local accounts)."""

from django.urls import path

from identity import views

app_name = "identity"
urlpatterns = [
    path("oidc/authenticate/", views.OidcStartView.as_view(), name="oidc-start"),
    path("oidc/callback/", views.OidcCallbackView.as_view(), name="oidc-callback"),
    path("accounts/two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        views.recovery_codes_renew,
        name="recovery-codes-renew",
    ),
]
