"""Behaviour URLs; each part keeps its own list in behaviour/views/<part>.py."""

from .views import incidents, ladder

urlpatterns = [
    *incidents.urlpatterns,
    *ladder.urlpatterns,
]
