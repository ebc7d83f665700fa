from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from schools.api import api
from schools.views import auth as auth_views_local
from schools.views import password_reset

urlpatterns = [
    path("inloggen/", auth_views_local.login_view, name="login"),
    path("inloggen/code/", auth_views_local.login_code, name="login_code"),
    path("account/", auth_views_local.account_security, name="account_security"),
    path("account/tweestapsverificatie/", auth_views_local.totp_setup, name="account_totp_setup"),
    path(
        "account/tweestapsverificatie/uitzetten/", auth_views_local.totp_disable, name="account_totp_disable"
    ),
    path("account/back-upcodes/", auth_views_local.backup_codes, name="account_backup_codes"),
    path("account/back-upcodes/nieuw/", auth_views_local.new_backup_codes, name="account_backup_codes_new"),
    # The admin signs in through our two-step log-in too, never around it.
    path("beheer/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/vergeten/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("wachtwoord/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", api.urls),
    path("dossier/", include("dossier.urls")),
    path("dossier/", include("messaging.urls")),
    path("dossier/", include("deadlines.urls")),
    path("dossier/", include("signatures.urls")),
    path("ouders/", include("portal.urls")),
    path("gedrag/stappen/", include("behaviour.urls_plans")),
    path("gedrag/school/", include("behaviour.urls_dashboard")),
    path("", include("reviews.urls")),
    path("besprekingen/", include("reviews.urls_meeting")),
    path("", include("behaviour.urls")),
    path("maatregelen/", include("measures.urls")),
    path("", include("protocols.urls")),
    path("", include("schools.urls")),
]
