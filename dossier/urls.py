"""Dossier URLs; each area keeps its own list in dossier/views/<area>.py."""

from .views import admin, deadlines, messages, portal, retention, signables, timeline

urlpatterns = [
    *timeline.urlpatterns,
    *messages.urlpatterns,
    *deadlines.urlpatterns,
    *portal.urlpatterns,
    *retention.urlpatterns,
    *signables.urlpatterns,
    *admin.urlpatterns,
]
