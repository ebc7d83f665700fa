"""The routes of the persona matrix: every URL pattern and API operation, with real ids from
tests/persona_world.py. A row is (label, route name, method, url). Some routes have more than
one row (a care-only log note next to a team one). The expected outcomes are in
tests/persona_expectations.py; a route with no row fails tests/test_persona_matrix.py."""

# Admin routes (Django's admin under /beheer/): nobody of the school signs in there.
ADMIN = {
    "admin:index": "/beheer/",
    "admin:login": "/beheer/login/",
    "admin:logout": "/beheer/logout/",
    "admin:password_change": "/beheer/password_change/",
    "admin:password_change_done": "/beheer/password_change/done/",
    "admin:autocomplete": "/beheer/autocomplete/",
    "admin:jsi18n": "/beheer/jsi18n/",
    "admin:view_on_site": "/beheer/r/1/{student}/",
    "admin:app_list": "/beheer/auth/",
}
ADMIN_MODEL_ROUTES = ("changelist", "add", "history", "delete", "change")

ROUTES = [
    # Sign-in and account.
    ("login", "login", "GET", "/inloggen/"),
    ("login_code", "login_code", "GET", "/inloggen/code/"),
    ("account_security", "account_security", "GET", "/account/"),
    ("account_totp_setup", "account_totp_setup", "GET", "/account/tweestapsverificatie/"),
    ("account_totp_disable", "account_totp_disable", "POST", "/account/tweestapsverificatie/uitzetten/"),
    ("account_backup_codes", "account_backup_codes", "GET", "/account/back-upcodes/"),
    ("account_backup_codes_new", "account_backup_codes_new", "POST", "/account/back-upcodes/nieuw/"),
    ("admin_login_redirect", "beheer/login/", "GET", "/beheer/login/?next=/beheer/"),
    ("logout", "logout", "POST", "/uitloggen/"),
    ("password_reset", "password_reset", "GET", "/wachtwoord/vergeten/"),
    ("password_reset_done", "password_reset_done", "GET", "/wachtwoord/verstuurd/"),
    ("password_reset_confirm", "password_reset_confirm", "GET", "/wachtwoord/nieuw/{uidb64}/{reset_token}/"),
    ("password_reset_complete", "password_reset_complete", "GET", "/wachtwoord/klaar/"),
    ("set_language", "set_language", "POST", "/i18n/setlang/"),
    # The student's file.
    ("dossier_timeline", "dossier_timeline", "GET", "/dossier/leerling/{student}/"),
    ("dossier_access_log", "dossier_access_log", "GET", "/dossier/leerling/{student}/bekeken/"),
    ("dossier_log_create", "dossier_log_create", "GET", "/dossier/leerling/{student}/logboek/nieuw/"),
    ("dossier_log_detail", "dossier_log_detail", "GET", "/dossier/logboek/{log}/"),
    ("dossier_log_detail:care", "dossier_log_detail", "GET", "/dossier/logboek/{log_care}/"),
    ("dossier_log_detail:director", "dossier_log_detail", "GET", "/dossier/logboek/{log_director}/"),
    ("dossier_log_detail:health", "dossier_log_detail", "GET", "/dossier/logboek/{log_health}/"),
    ("dossier_log_edit", "dossier_log_edit", "GET", "/dossier/logboek/{log}/bewerken/"),
    ("dossier_log_correct", "dossier_log_correct", "GET", "/dossier/logboek/{log}/corrigeren/"),
    (
        "dossier_log_correct:director",
        "dossier_log_correct",
        "GET",
        "/dossier/logboek/{log_director}/corrigeren/",
    ),
    (
        "dossier_document_upload",
        "dossier_document_upload",
        "GET",
        "/dossier/leerling/{student}/documenten/nieuw/",
    ),
    ("dossier_document_download", "dossier_document_download", "GET", "/dossier/document/{document}/"),
    (
        "dossier_document_download:care",
        "dossier_document_download",
        "GET",
        "/dossier/document/{document_care}/",
    ),
    (
        "dossier_document_download:health",
        "dossier_document_download",
        "GET",
        "/dossier/document/{document_health}/",
    ),
    ("letter_template_list", "letter_template_list", "GET", "/dossier/brieven/"),
    ("letter_template_edit", "letter_template_edit", "GET", "/dossier/brieven/{letter_code}/"),
    (
        "letter_template_preview",
        "letter_template_preview",
        "GET",
        "/dossier/brieven/{letter_code}/voorbeeld.pdf",
    ),
    ("letter_pdf", "letter_pdf", "GET", "/dossier/brief/{letter}.pdf"),
    ("outbox", "outbox", "GET", "/dossier/berichten/"),
    ("outbox_retry", "outbox_retry", "POST", "/dossier/berichten/{message}/opnieuw/"),
    ("deadline_list", "deadline_list", "GET", "/dossier/termijnen/"),
    ("deadline_complete", "deadline_complete", "POST", "/dossier/termijnen/{deadline}/afronden/"),
    ("deadline_overdue", "deadline_overdue", "GET", "/dossier/termijnen/verlopen/"),
    ("calendar_feed_settings", "calendar_feed_settings", "GET", "/dossier/agenda/"),
    ("calendar_feed", "calendar_feed", "GET", "/dossier/agenda/{feed_token}.ics"),
    ("access_request_list", "access_request_list", "GET", "/dossier/inzage/"),
    ("access_request_new", "access_request_new", "GET", "/dossier/inzage/nieuw/{student}/"),
    ("access_request_detail", "access_request_detail", "GET", "/dossier/inzage/{request}/"),
    ("access_request_download:pdf", "access_request_download", "GET", "/dossier/inzage/{request}/pdf/"),
    ("access_request_download:json", "access_request_download", "GET", "/dossier/inzage/{request}/json/"),
    ("signable_document_detail", "signable_document_detail", "GET", "/dossier/documenten/{signable}/"),
    ("retention_settings", "retention_settings", "GET", "/dossier/bewaartermijnen/"),
    ("signables_list", "signables_list", "GET", "/dossier/leerling/{student}/documenten-ondertekenen/"),
    (
        "signables_create",
        "signables_create",
        "GET",
        "/dossier/leerling/{student}/documenten-ondertekenen/nieuw/",
    ),
    ("signables_detail", "signables_detail", "GET", "/dossier/ondertekenen/{signable}/"),
    ("log_template_list", "log_template_list", "GET", "/dossier/logboeksjablonen/"),
    ("log_template_create", "log_template_create", "GET", "/dossier/logboeksjablonen/nieuw/"),
    ("log_template_edit", "log_template_edit", "GET", "/dossier/logboeksjablonen/{template}/bewerken/"),
    (
        "log_template_deactivate",
        "log_template_deactivate",
        "POST",
        "/dossier/logboeksjablonen/{template}/uitzetten/",
    ),
    ("legal_hold_place", "legal_hold_place", "GET", "/dossier/leerling/{student}/bewaarstop/"),
    ("legal_hold_lift", "legal_hold_lift", "GET", "/dossier/bewaarstop/{hold}/opheffen/"),
    ("legal_hold_list", "legal_hold_list", "GET", "/dossier/bewaarstops/"),
    # The portal (guardians and students of 16+).
    ("portal:home", "portal:home", "GET", "/ouders/"),
    ("portal:login", "portal:login", "GET", "/ouders/inloggen/"),
    ("portal:login_sent", "portal:login_sent", "GET", "/ouders/inloggen/verstuurd/"),
    ("portal:password_login", "portal:password_login", "GET", "/ouders/inloggen/wachtwoord/"),
    ("portal:redeem", "portal:redeem", "GET", "/ouders/link/{link_token}/"),
    ("portal:logout", "portal:logout", "POST", "/ouders/uitloggen/"),
    ("portal:account", "portal:account", "GET", "/ouders/account/"),
    ("portal:set_password", "portal:set_password", "GET", "/ouders/account/wachtwoord/"),
    ("portal:totp_setup", "portal:totp_setup", "GET", "/ouders/account/tweede-factor/"),
    ("portal:totp_verify", "portal:totp_verify", "GET", "/ouders/tweede-factor/"),
    ("portal:child", "portal:child", "GET", "/ouders/kinderen/{student}/"),
    ("portal:child:mila", "portal:child", "GET", "/ouders/kinderen/{mila}/"),
    (
        "portal:add_statement",
        "portal:add_statement",
        "GET",
        "/ouders/kinderen/{student}/regels/{entry}/zienswijze/",
    ),
    ("portal:document", "portal:document", "GET", "/ouders/kinderen/{student}/documenten/{signable}/"),
    ("portal:document:mila", "portal:document", "GET", "/ouders/kinderen/{mila}/documenten/{mila_signable}/"),
    ("portal:request_access", "portal:request_access", "POST", "/ouders/kinderen/{student}/inzage/"),
    # The school: people, groups, configuration.
    ("home", "home", "GET", "/"),
    ("switch_school", "switch_school", "POST", "/school-kiezen/"),
    ("student_search", "student_search", "GET", "/leerlingen/?q=Sanne"),
    ("student_detail", "student_detail", "GET", "/leerlingen/{student}/"),
    ("group_list", "group_list", "GET", "/groepen/"),
    ("group_detail", "group_detail", "GET", "/groepen/{group}/"),
    ("school_admin", "school_admin", "GET", "/beheer-school/"),
    ("school_settings", "school_settings", "GET", "/instellingen/"),
    ("staff_list", "staff_list", "GET", "/medewerkers/"),
    ("staff_add", "staff_add", "POST", "/medewerkers/nieuw/"),
    ("staff_roles", "staff_roles", "GET", "/medewerkers/{staff}/rollen/"),
    ("staff_end", "staff_end", "POST", "/medewerkers/{staff}/uit-dienst/"),
    ("school_calendar", "school_calendar", "GET", "/schoolkalender/"),
    ("school_calendar_add", "school_calendar_add", "POST", "/schoolkalender/vrije-dag/"),
    ("school_calendar_change", "school_calendar_change", "GET", "/schoolkalender/{holiday}/wijzigen/"),
    ("school_calendar_remove", "school_calendar_remove", "POST", "/schoolkalender/{holiday}/verwijderen/"),
    ("school_calendar_defaults", "school_calendar_defaults", "POST", "/schoolkalender/standaard/"),
    ("api_keys", "api_keys", "GET", "/api-sleutels/"),
    ("api_key_revoke", "api_key_revoke", "POST", "/api-sleutels/{key}/intrekken/"),
    ("import_start", "import_start", "GET", "/import/"),
    ("import_detail", "import_detail", "GET", "/import/{run}/"),
    ("import_columns", "import_columns", "POST", "/import/{run}/kolommen/"),
    ("import_apply", "import_apply", "POST", "/import/{run}/verwerken/"),
    ("import_progress", "import_progress", "GET", "/import/{run}/voortgang/"),
    ("import_oneroster_options", "import_oneroster_options", "POST", "/import/{run}/oneroster/"),
    ("text_check", "text_check", "POST", "/tekstcontrole/?velden=body&leerling={student}"),
    ("protocol_list", "protocol_list", "GET", "/protocollen/"),
    ("protocol_detail", "protocol_detail", "GET", "/protocollen/maatregelen/"),
    ("protocol_detail:post", "protocol_detail", "POST", "/protocollen/maatregelen/"),
    ("protocol_version", "protocol_version", "GET", "/protocollen/versies/{protocol_version}/"),
    # The fake protocol of the tests (tests/fakeprotocol): a log note is no fake case, so 404 for all.
    ("fakeprotocol_case", "fakeprotocol_case", "GET", "/nep-protocol/zaak/{log}/"),
    # The same forms posted (empty): who may change something, not only look.
    ("dossier_log_create:post", "dossier_log_create", "POST", "/dossier/leerling/{student}/logboek/nieuw/"),
    ("dossier_log_edit:post", "dossier_log_edit", "POST", "/dossier/logboek/{log}/bewerken/"),
    ("dossier_log_correct:post", "dossier_log_correct", "POST", "/dossier/logboek/{log}/corrigeren/"),
    (
        "dossier_document_upload:post",
        "dossier_document_upload",
        "POST",
        "/dossier/leerling/{student}/documenten/nieuw/",
    ),
    ("letter_template_edit:post", "letter_template_edit", "POST", "/dossier/brieven/{letter_code}/"),
    ("access_request_new:post", "access_request_new", "POST", "/dossier/inzage/nieuw/{student}/"),
    ("access_request_detail:post", "access_request_detail", "POST", "/dossier/inzage/{request}/"),
    ("signable_document_detail:post", "signable_document_detail", "POST", "/dossier/documenten/{signable}/"),
    (
        "signables_create:post",
        "signables_create",
        "POST",
        "/dossier/leerling/{student}/documenten-ondertekenen/nieuw/",
    ),
    ("signables_detail:post", "signables_detail", "POST", "/dossier/ondertekenen/{signable}/"),
    ("log_template_create:post", "log_template_create", "POST", "/dossier/logboeksjablonen/nieuw/"),
    ("log_template_edit:post", "log_template_edit", "POST", "/dossier/logboeksjablonen/{template}/bewerken/"),
    ("legal_hold_place:post", "legal_hold_place", "POST", "/dossier/leerling/{student}/bewaarstop/"),
    ("legal_hold_lift:post", "legal_hold_lift", "POST", "/dossier/bewaarstop/{hold}/opheffen/"),
    ("retention_settings:post", "retention_settings", "POST", "/dossier/bewaartermijnen/"),
    ("school_settings:post", "school_settings", "POST", "/instellingen/"),
    ("staff_roles:post", "staff_roles", "POST", "/medewerkers/{staff}/rollen/"),
    ("school_calendar_change:post", "school_calendar_change", "POST", "/schoolkalender/{holiday}/wijzigen/"),
    (
        "portal:add_statement:post",
        "portal:add_statement",
        "POST",
        "/ouders/kinderen/{student}/regels/{entry}/zienswijze/",
    ),
    ("portal:document:post", "portal:document", "POST", "/ouders/kinderen/{student}/documenten/{signable}/"),
    ("calendar_feed_settings:post", "calendar_feed_settings", "POST", "/dossier/agenda/"),
    ("import_start:post", "import_start", "POST", "/import/"),
    ("api_keys:post", "api_keys", "POST", "/api-sleutels/"),
    ("account_totp_setup:post", "account_totp_setup", "POST", "/account/tweestapsverificatie/"),
    ("portal:set_password:post", "portal:set_password", "POST", "/ouders/account/wachtwoord/"),
    ("portal:totp_setup:post", "portal:totp_setup", "POST", "/ouders/account/tweede-factor/"),
    # The API (its operations are checked against /api/v1/openapi.json as well).
    ("api-v1:openapi-json", "api-v1:openapi-json", "GET", "/api/v1/openapi.json"),
    ("api-v1:api-root", "api-v1:api-root", "GET", "/api/v1/"),
    ("api-v1:school_detail", "api-v1:school_detail", "GET", "/api/v1/school"),
    ("api-v1:group_list", "api-v1:group_list", "GET", "/api/v1/groups"),
    ("api-v1:group_detail", "api-v1:group_detail", "GET", "/api/v1/groups/{group}"),
    ("api-v1:staff_list", "api-v1:staff_list", "GET", "/api/v1/staff"),
    ("api-v1:staff_detail", "api-v1:staff_detail", "GET", "/api/v1/staff/{staff}"),
    ("api-v1:student_list", "api-v1:student_list", "GET", "/api/v1/students"),
    ("api-v1:student_detail", "api-v1:student_detail", "GET", "/api/v1/students/{student}"),
    ("api-v1:guardian_list", "api-v1:guardian_list", "GET", "/api/v1/guardians"),
    ("api-v1:guardian_detail", "api-v1:guardian_detail", "GET", "/api/v1/guardians/{guardian}"),
]


def admin_rows(resolved: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """Rows for Django's admin, from the resolver's (key, pattern) pairs: its fixed routes above,
    and every model route with object id 1, so a newly registered model gets rows from here."""
    from django.urls import reverse

    rows = []
    for key, _pattern in resolved:
        if key in ADMIN:
            rows.append((key, key, "GET", ADMIN[key]))
        elif key.startswith("admin:"):
            kind = key.rsplit("_", 1)[1]
            args = [] if kind in ("changelist", "add") else [1]
            rows.append((key, key, "GET", reverse(key, args=args)))
        elif key.startswith("beheer/") and key != "beheer/login/":
            url = "/" + key.replace("<path:object_id>", "1").replace("(?P<url>.*)$", "geen-pagina/")
            rows.append((key, key, "GET", url))
    return rows
