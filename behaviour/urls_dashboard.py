"""Routes of the school dashboard and the step overview, under /gedrag/school/ (config/urls.py)."""

from django.urls import path

from .views import dashboard as v

urlpatterns = [
    path("", v.school_dashboard, name="behaviour_dashboard"),
    path("stappen/", v.step_overview, name="behaviour_step_overview"),
]
