"""URLs of the deadlines app, under /dossier/ (paths and names unchanged by the split of issue 9)."""

from .views.deadlines import urlpatterns

__all__ = ["urlpatterns"]
