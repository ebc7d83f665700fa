"""The parent portal, under /ouders/."""

from django.urls import path

from portal import account, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account.login_request, name="login"),
    path("inloggen/verstuurd/", account.login_sent, name="login_sent"),
    path("inloggen/wachtwoord/", account.password_login, name="password_login"),
    path("link/<str:token>/", account.redeem, name="redeem"),
    path("uitloggen/", account.logout_view, name="logout"),
    path("account/", account.settings_view, name="account"),
    path("account/wachtwoord/", account.set_password, name="set_password"),
    path("account/tweede-factor/", account.totp_setup, name="totp_setup"),
    path("tweede-factor/", account.totp_verify, name="totp_verify"),
    path("kinderen/<int:pk>/", views.child, name="child"),
    path("kinderen/<int:pk>/regels/<int:entry_pk>/zienswijze/", views.add_statement, name="add_statement"),
    path("kinderen/<int:pk>/documenten/<int:doc_pk>/", views.document, name="document"),
    path("kinderen/<int:pk>/inzage/", views.request_inspection, name="request_access"),
]
