"""URLs of the signatures app, under /dossier/ (paths and names unchanged by the split of issue 9)."""

from .views import signables, signing

urlpatterns = [*signables.urlpatterns, *signing.urlpatterns]
