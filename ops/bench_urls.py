"""URLs of the bench settings: the application's own plus the bare view (ops.views.bare)."""

from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from .views import bare

BARE_URL = "/_bench/kaal/"

urlpatterns = [path(BARE_URL.strip("/") + "/", bare, name="bench_bare"), *app_urlpatterns]
