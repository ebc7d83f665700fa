from django.urls import path

from .views import api_keys, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("leerlingen/", pages.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", pages.student_detail, name="student_detail"),
    path("groepen/", pages.group_list, name="group_list"),
    path("groepen/<int:pk>/", pages.group_detail, name="group_detail"),
    path("api-sleutels/", api_keys.api_key_list, name="api_keys"),
    path("api-sleutels/<int:pk>/intrekken/", api_keys.api_key_revoke, name="api_key_revoke"),
]
