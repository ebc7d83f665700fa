"""Labels for the audit codes written by `schools` (AVG-4); registered in SchoolsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

SCHOOLS_LABELS = {
    "auth.login": _("ingelogd"),
    "auth.login_failed": _("mislukte inlogpoging"),
    "auth.logout": _("uitgelogd"),
    "auth.totp.enabled": _("tweede factor ingeschakeld"),
    "auth.totp.disabled": _("tweede factor uitgeschakeld"),
    "schools.student.viewed": _("leerlingpagina bekeken"),
    "schools.student.api_viewed": _("leerling opgevraagd via de API"),
    "schools.student.view_denied": _("geweigerde poging tot inzien"),
    "schools.staff.view_denied": _("geweigerde poging om een medewerker te bekijken"),
    "schools.staff.added": _("medewerker toegevoegd"),
    "schools.staff.ended": _("medewerker uit dienst"),
    "schools.staff.roles_changed": _("rollen van medewerker gewijzigd"),
    "schools.group.view_denied": _("geweigerde poging om een groep te bekijken"),
    "schools.settings.changed": _("instellingen school gewijzigd"),
    "schools.import.uploaded": _("import geüpload"),
    "schools.import.applied": _("import verwerkt"),
    "schools.import.view_denied": _("geweigerde poging om een import te bekijken"),
    "schools.calendar.holiday_added": _("vrije dag toegevoegd"),
    "schools.calendar.holiday_changed": _("vrije dag gewijzigd"),
    "schools.calendar.holiday_removed": _("vrije dag verwijderd"),
    "schools.calendar.defaults_loaded": _("standaardvakanties geladen"),
    "schools.calendar.dagdeel_changed": _("dagdelen gewijzigd"),
    "schools.calendar.change_denied": _("geweigerde wijziging van de schoolkalender"),
    "schools.calendar.remove_denied": _("geweigerde verwijdering uit de schoolkalender"),
    "schools.api_key.created": _("API-sleutel aangemaakt"),
    "schools.api_key.revoked": _("API-sleutel ingetrokken"),
    "schools.api_key.revoke_denied": _("geweigerde poging om een API-sleutel in te trekken"),
}
