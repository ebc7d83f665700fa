"""Views of the dossier's deadlines area."""

urlpatterns: list = []
