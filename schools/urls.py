from django.urls import path

from .views import imports, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("leerlingen/", pages.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", pages.student_detail, name="student_detail"),
    path("groepen/", pages.group_list, name="group_list"),
    path("groepen/<int:pk>/", pages.group_detail, name="group_detail"),
    path("import/", imports.import_start, name="import_start"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/kolommen/", imports.import_columns, name="import_columns"),
    path("import/<int:pk>/verwerken/", imports.import_apply, name="import_apply"),
    path("import/<int:pk>/voortgang/", imports.import_progress, name="import_progress"),
]
