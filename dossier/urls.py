"""Dossier URLs; each area keeps its own list in dossier/views/<area>.py."""

from .views import admin, deadlines, messages, portal, retention, timeline

urlpatterns = [
    *timeline.urlpatterns,
    *messages.urlpatterns,
    *deadlines.urlpatterns,
    *portal.urlpatterns,
    *retention.urlpatterns,
    *admin.urlpatterns,
]
