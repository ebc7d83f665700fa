from django.urls import path

from .views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("school-kiezen/", pages.switch_school, name="switch_school"),
    path("leerlingen/", pages.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", pages.student_detail, name="student_detail"),
    path("groepen/", pages.group_list, name="group_list"),
    path("groepen/<int:pk>/", pages.group_detail, name="group_detail"),
]
