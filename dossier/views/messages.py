"""Views of the dossier's messages area."""

urlpatterns: list = []
