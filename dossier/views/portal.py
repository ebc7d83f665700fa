"""Views of the dossier's portal area."""

urlpatterns: list = []
