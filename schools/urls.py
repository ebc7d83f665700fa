from django.urls import path

from .views import api_keys, calendar, imports, pages, people, settings

urlpatterns = [
    path("", pages.home, name="home"),
    path("school-kiezen/", pages.switch_school, name="switch_school"),
    path("leerlingen/", pages.student_search, name="student_search"),
    path("leerlingen/<int:pk>/", pages.student_detail, name="student_detail"),
    path("groepen/", pages.group_list, name="group_list"),
    path("groepen/<int:pk>/", pages.group_detail, name="group_detail"),
    path("beheer-school/", pages.school_admin, name="school_admin"),
    path("instellingen/", settings.school_settings, name="school_settings"),
    path("medewerkers/", people.staff_list, name="staff_list"),
    path("medewerkers/nieuw/", people.staff_add, name="staff_add"),
    path("medewerkers/<int:pk>/rollen/", people.staff_roles, name="staff_roles"),
    path("medewerkers/<int:pk>/uit-dienst/", people.staff_end, name="staff_end"),
    path("schoolkalender/", calendar.calendar_page, name="school_calendar"),
    path("schoolkalender/vrije-dag/", calendar.holiday_add, name="school_calendar_add"),
    path("schoolkalender/<int:pk>/wijzigen/", calendar.holiday_change, name="school_calendar_change"),
    path("schoolkalender/<int:pk>/verwijderen/", calendar.holiday_remove, name="school_calendar_remove"),
    path("schoolkalender/standaard/", calendar.defaults_load, name="school_calendar_defaults"),
    path("api-sleutels/", api_keys.api_key_list, name="api_keys"),
    path("api-sleutels/<int:pk>/intrekken/", api_keys.api_key_revoke, name="api_key_revoke"),
    path("import/", imports.import_start, name="import_start"),
    path("import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("import/<int:pk>/kolommen/", imports.import_columns, name="import_columns"),
    path("import/<int:pk>/verwerken/", imports.import_apply, name="import_apply"),
    path("import/<int:pk>/oneroster/", imports.import_oneroster_options, name="import_oneroster_options"),
    path("import/<int:pk>/voortgang/", imports.import_progress, name="import_progress"),
]
