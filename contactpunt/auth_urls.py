"""Account URLs: ours in front of django.contrib.auth.urls (same names, so reverse('login') still works)."""

from django.urls import path

from . import auth_views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/code/", auth_views.verify, name="two_factor_verify"),
    path("accounts/tweestapsverificatie/instellen/", auth_views.setup, name="two_factor_setup"),
    path("accounts/tweestapsverificatie/herstelcodes/", auth_views.recovery_codes, name="two_factor_recovery_codes"),
    path("account/tweestapsverificatie/", auth_views.account_two_factor, name="account_two_factor"),
    path(
        "account/tweestapsverificatie/nieuwe-herstelcodes/",
        auth_views.new_recovery_codes,
        name="two_factor_new_recovery_codes",
    ),
    path("account/tweestapsverificatie/uitzetten/", auth_views.switch_off, name="two_factor_switch_off"),
    path("account/e-mailadres/", auth_views.email_change, name="account_email"),
]
