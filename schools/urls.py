from django.urls import path

from .views import calendar, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("leerlingen/", pages.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", pages.student_detail, name="student_detail"),
    path("groepen/", pages.group_list, name="group_list"),
    path("groepen/<int:pk>/", pages.group_detail, name="group_detail"),
    path("schoolkalender/", calendar.calendar_page, name="school_calendar"),
    path("schoolkalender/vrije-dag/", calendar.holiday_add, name="school_calendar_add"),
    path("schoolkalender/<int:pk>/wijzigen/", calendar.holiday_change, name="school_calendar_change"),
    path("schoolkalender/<int:pk>/verwijderen/", calendar.holiday_remove, name="school_calendar_remove"),
    path("schoolkalender/dagdeel/", calendar.dagdeel_set, name="school_calendar_dagdeel"),
    path("schoolkalender/standaard/", calendar.defaults_load, name="school_calendar_defaults"),
]
