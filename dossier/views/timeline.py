"""Views of the dossier's timeline area."""

urlpatterns: list = []
