"""Dossier URLs; each area keeps its own list in dossier/views/<area>.py."""

from .views import access_requests, admin, retention, timeline

urlpatterns = [
    *timeline.urlpatterns,
    *access_requests.urlpatterns,
    *retention.urlpatterns,
    *admin.urlpatterns,
]
