"""URLs of the messaging app, under /dossier/ (paths and names unchanged by the split of issue 9)."""

from .views.messages import urlpatterns

__all__ = ["urlpatterns"]
