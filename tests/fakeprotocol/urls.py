"""Test settings' ROOT_URLCONF: the project's URLs plus the fake protocol's page."""

from config.urls import urlpatterns as project_urlpatterns

from .views import urlpatterns as fake_urlpatterns

urlpatterns = [*fake_urlpatterns, *project_urlpatterns]
