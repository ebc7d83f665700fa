"""Expected outcomes of the persona matrix (tests/test_persona_matrix.py), as data.

One entry per row of tests/persona_routes.py: the status class each persona gets.
  "200"               the page, file or JSON
  "302-login"         sent to the staff sign-in (with ?next=)
  "302-portal-login"  sent to the portal sign-in
  "302"               any other redirect (done, or elsewhere)
  "401"               the API without a staff session or key
  "404"               not found: a denied object or page is a 404 (AVG-4), never a 403
  "405"/"422"         wrong method / refused input
`row(default, persona=outcome, …)` gives every persona the default except those named.

KNOWN_DEVIATIONS and PHRASE_DEVIATIONS list what today's code does wrong while another branch
fixes it: their tests are xfail(strict=True), so they turn red once the fix lands and the
marker must go.
"""

from .persona_world import PERSONAS


def row(default: str, **persona_outcomes: str) -> dict[str, str]:
    unknown = set(persona_outcomes) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: persona_outcomes.get(persona, default) for persona in PERSONAS}


def outcome(expected: str) -> str:
    return expected


# Everyone who is not signed in to Django's admin is sent to its sign-in (a plain redirect).
ADMIN_OUTCOME = row("302")

EXPECT = {
    "login": row("302", anonymous="200"),
    "login_code": row("302"),
    "account_security": row("200", anonymous="302-login"),
    "account_totp_setup": row("200", anonymous="302-login"),
    "account_totp_disable": row("302", anonymous="302-login"),
    "account_backup_codes": row("302", anonymous="302-login"),
    "account_backup_codes_new": row("302", anonymous="302-login"),
    "admin_login_redirect": row("302-login"),
    "logout": row("302"),
    "password_reset": row("200"),
    "password_reset_done": row("200"),
    "password_reset_confirm": row("302"),
    "password_reset_complete": row("200"),
    "set_language": row("302"),
    "dossier_timeline": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_access_log": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "dossier_log_create": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_log_detail": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_log_detail:care": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "dossier_log_detail:director": row("404", anonymous="302-login", director="200"),
    "dossier_log_detail:health": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "dossier_log_edit": row("404", anonymous="302-login", teacher="200"),
    "dossier_log_correct": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "dossier_log_correct:director": row("404", anonymous="302-login", director="200"),
    "dossier_document_upload": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_document_download": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_document_download:care": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "dossier_document_download:health": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "letter_template_list": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "letter_template_edit": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "letter_template_preview": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "letter_pdf": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "outbox": row(
        "404",
        anonymous="302-login",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
        functional_admin="200",
    ),
    "outbox_retry": row(
        "404",
        anonymous="302-login",
        care_coordinator="302",
        behaviour_specialist="302",
        director="302",
        functional_admin="302",
    ),
    "deadline_list": row(
        "200",
        anonymous="302-login",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "deadline_complete": row("404", anonymous="302-login", care_coordinator="302"),
    "deadline_overdue": row("404", anonymous="302-login", care_coordinator="200"),
    "calendar_feed_settings": row(
        "200",
        anonymous="302-login",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "calendar_feed": row("200"),
    "access_request_list": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "access_request_new": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "access_request_detail": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "access_request_download:pdf": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "access_request_download:json": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "signable_document_detail": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "retention_settings": row("404", anonymous="302-login", functional_admin="200"),
    "signables_list": row(
        "404",
        anonymous="302-login",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "signables_create": row(
        "404",
        anonymous="302-login",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "signables_detail": row(
        "404",
        anonymous="302-login",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "log_template_list": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "log_template_create": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "log_template_edit": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "log_template_deactivate": row(
        "404", anonymous="302-login", care_coordinator="302", director="302", functional_admin="302"
    ),
    "legal_hold_place": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "legal_hold_lift": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "legal_hold_list": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "portal:home": row("200", anonymous="302-portal-login"),
    "portal:login": row("200"),
    "portal:login_sent": row("200"),
    "portal:password_login": row("200"),
    "portal:redeem": row("200"),
    "portal:logout": row("302-portal-login"),
    "portal:account": row("200", anonymous="302-portal-login"),
    "portal:set_password": row("200", anonymous="302-portal-login"),
    "portal:totp_setup": row("200", anonymous="302-portal-login"),
    "portal:totp_verify": row("200", anonymous="302-portal-login"),
    "portal:child": row("404", anonymous="302-portal-login", guardian_authority="200"),
    "portal:child:mila": row("404", anonymous="302-portal-login", student_16="200"),
    "portal:add_statement": row("404", anonymous="302-portal-login", guardian_authority="200"),
    "portal:document": row("404", anonymous="302-portal-login", guardian_authority="200"),
    "portal:document:mila": row("404", anonymous="302-portal-login", student_16="200"),
    "portal:request_access": row("404", anonymous="302-portal-login", guardian_authority="302"),
    "home": row("200", anonymous="302"),
    "switch_school": row("302", anonymous="302-login"),
    "student_search": row(
        "200",
        anonymous="302-login",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "student_detail": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
        functional_admin="200",
    ),
    "group_list": row(
        "200",
        anonymous="302-login",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "group_detail": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
        functional_admin="200",
    ),
    "school_admin": row(
        "404",
        anonymous="302-login",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
        functional_admin="200",
    ),
    "school_settings": row("404", anonymous="302-login", functional_admin="200"),
    # The director grants the care roles (AVG-4, issue 7 finding 4), so opens the staff list and roles.
    "staff_list": row("404", anonymous="302-login", functional_admin="200", director="200"),
    "staff_add": row("404", anonymous="302-login", functional_admin="400"),
    "staff_roles": row("404", anonymous="302-login", functional_admin="200", director="200"),
    "staff_end": row("404", anonymous="302-login", functional_admin="302"),
    "school_calendar": row("404", anonymous="302-login", functional_admin="200"),
    "school_calendar_add": row("404", anonymous="302-login", functional_admin="422"),
    "school_calendar_change": row("404", anonymous="302-login", functional_admin="200"),
    "school_calendar_remove": row("404", anonymous="302-login", functional_admin="302"),
    "protocol_list": row("404", anonymous="302-login", director="200", functional_admin="200"),
    "protocol_detail": row("404", anonymous="302-login", director="200", functional_admin="200"),
    "protocol_detail:post": row("404", anonymous="302-login", director="422", functional_admin="422"),
    "protocol_version": row("404", anonymous="302-login", director="200", functional_admin="200"),
    "school_calendar_defaults": row("404", anonymous="302-login", functional_admin="302"),
    "api_keys": row("404", anonymous="302-login", functional_admin="200"),
    "api_key_revoke": row("404", anonymous="302-login", functional_admin="302"),
    "import_start": row("404", anonymous="302-login", functional_admin="200"),
    "import_detail": row("404", anonymous="302-login", functional_admin="200"),
    "import_columns": row("404", anonymous="302-login", functional_admin="302"),
    "import_apply": row("404", anonymous="302-login", functional_admin="302"),
    "fakeprotocol_case": row("404", anonymous="302-login"),
    # Het gedragsprotocol, steps 2–4: the plan page for who may see the file; no open case, so no action page.
    "behaviour_plans": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "behaviour_step2_talk": row("404", anonymous="302-login"),
    "behaviour_step2_talk:post": row("404", anonymous="302-login"),
    "behaviour_step2_feedback": row("404", anonymous="302-login"),
    "behaviour_step2_feedback:post": row("404", anonymous="302-login"),
    "behaviour_step2_evaluation": row("404", anonymous="302-login"),
    "behaviour_step2_evaluation:post": row("404", anonymous="302-login"),
    "behaviour_step3_invite": row("404", anonymous="302-login"),
    "behaviour_step3_invite:post": row("404", anonymous="302-login"),
    "behaviour_step3_talk": row("404", anonymous="302-login"),
    "behaviour_step3_talk:post": row("404", anonymous="302-login"),
    "behaviour_step3_progress": row("404", anonymous="302-login"),
    "behaviour_step3_progress:post": row("404", anonymous="302-login"),
    "behaviour_step3_external": row("404", anonymous="302-login"),
    "behaviour_step3_external:post": row("404", anonymous="302-login"),
    "behaviour_step3_evaluation": row("404", anonymous="302-login"),
    "behaviour_step3_evaluation:post": row("404", anonymous="302-login"),
    "behaviour_step4_invite": row("404", anonymous="302-login"),
    "behaviour_step4_invite:post": row("404", anonymous="302-login"),
    "behaviour_step4_plan": row("404", anonymous="302-login"),
    "behaviour_step4_plan:post": row("404", anonymous="302-login"),
    "behaviour_step4_start": row("404", anonymous="302-login"),
    "behaviour_step4_start:post": row("404", anonymous="302-login"),
    "behaviour_host_log": row("404", anonymous="302-login"),
    "behaviour_host_log:post": row("404", anonymous="302-login"),
    "behaviour_step4_return": row("404", anonymous="302-login"),
    "behaviour_step4_return:post": row("404", anonymous="302-login"),
    # The review cycle (issue 12). LB-15: the department heads and the care coordinator organise.
    "reviews_planning": row(
        "404", anonymous="302-login", care_coordinator="200", head_other_department="200"
    ),
    "reviews_meeting_create": row(
        "404", anonymous="302-login", care_coordinator="200", head_other_department="200"
    ),
    # LB-2: everyone expected (the group's teachers, mentor, chair) and the care team see the meeting.
    "reviews_meeting_cycle": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),  # fmt: skip
    "reviews_meeting_move": row("404", anonymous="302-login", care_coordinator="302"),
    "reviews_meeting_cancel": row("404", anonymous="302-login", care_coordinator="302"),
    "reviews_signal_round_open": row(
        "404",
        anonymous="302-login",
        teacher="302",
        mentor="302",
        care_coordinator="302",
        behaviour_specialist="302",
        director="302",
    ),  # fmt: skip
    "reviews_leave_request": row(
        "404",
        anonymous="302-login",
        teacher="302",
        mentor="302",
        care_coordinator="302",
        behaviour_specialist="302",
        director="302",
    ),  # fmt: skip
    "reviews_agreements_read": row(
        "404",
        anonymous="302-login",
        teacher="302",
        mentor="302",
        care_coordinator="302",
        behaviour_specialist="302",
        director="302",
    ),  # fmt: skip
    # LB-2: the request is the teacher's and the approver's (Anouk, no persona of the matrix).
    "reviews_leave_detail": row("404", anonymous="302-login", teacher="200"),
    "reviews_written_input": row("404", anonymous="302-login"),  # only after the leave is approved
    # LB-4: a teacher fills in their own list only.
    "reviews_signal_grid": row("404", anonymous="302-login", teacher="200"),
    "reviews_signal_save": row("404", anonymous="302-login", teacher="302"),
    "reviews_signal_finish": row("404", anonymous="302-login", teacher="302"),
    # LB-14: any teacher of the student (and the care team) raises a signal.
    "reviews_signal_raise": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),  # fmt: skip
    # GP-2: every staff member registers an incident; the ladder's pages follow need to know (AVG-4).
    "behaviour_incident_new": row(
        "404",
        anonymous="302-login",
        teacher="200",
        teacher_other="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        head_other_department="200",
        director="200",
        functional_admin="200",
    ),
    "behaviour_incident_new:post": row(
        "404",
        anonymous="302-login",
        teacher="422",
        teacher_other="422",
        mentor="422",
        care_coordinator="422",
        behaviour_specialist="422",
        head_other_department="422",
        director="422",
        functional_admin="422",
    ),
    "behaviour_student": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "behaviour_confirm_measure": row(
        "404",
        anonymous="302-login",
        teacher="422",
        mentor="422",
        care_coordinator="422",
        behaviour_specialist="422",
        director="422",
    ),
    "behaviour_request_escalation": row(
        "404",
        anonymous="302-login",
        teacher="422",
        mentor="422",
        care_coordinator="422",
        behaviour_specialist="422",
        director="422",
    ),
    # GP-6, GP-7: only the director and the behaviour specialist decide on step 2.
    "behaviour_consent": row("404", anonymous="302-login", director="200", behaviour_specialist="200"),
    "behaviour_consent:post": row("404", anonymous="302-login", director="422", behaviour_specialist="422"),
    "behaviour_aftercare": row(
        "404",
        anonymous="302-login",
        teacher="422",
        mentor="422",
        care_coordinator="422",
        behaviour_specialist="422",
        director="422",
    ),
    "behaviour_bullying_flag": row(
        "404", anonymous="302-login", care_coordinator="302", behaviour_specialist="302", director="302"
    ),
    "behaviour_group": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    # Issue 10 §8: the school dashboard for the director and the behaviour specialist; the step overview adds the care coordinator (AVG-4).
    "behaviour_dashboard": row("404", anonymous="302-login", behaviour_specialist="200", director="200"),
    "behaviour_step_overview": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    # measures/: the director (and the care team reads); the board only its own screen (AVG-4).
    "measures_overview": row("404", anonymous="302-login", director="200", board_member="200"),
    "measures_time_out_new": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "measures_suspension_new": row("404", anonymous="302-login", director="200"),
    "measures_expulsion_new": row("404", anonymous="302-login", director="200"),
    "measures_expulsion_new:post": row("404", anonymous="302-login", director="400"),
    "measures_time_out": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "measures_suspension": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "measures_suspension:post": row("404", anonymous="302-login", director="400"),
    "measures_suspension_test": row("404", anonymous="302-login", director="400"),
    "measures_suspension_parents_view": row("404", anonymous="302-login", director="400"),
    "measures_expulsion": row("404", anonymous="302-login", director="200"),
    "measures_expulsion_pdf": row("404", anonymous="302-login", director="200"),
    "measures_board_expulsion": row("404", board_member="200"),
    "measures_board_decide": row("404", board_member="400"),
    "measures_board_objection": row("404", board_member="400"),
    "measures_time_out_step": row(
        "404", anonymous="302-login", care_coordinator="400", behaviour_specialist="400", director="400"
    ),
    "measures_expulsion_step": row("404", anonymous="302-login", director="400"),
    "import_oneroster_options": row("404", anonymous="302-login", functional_admin="302"),
    # The text check answers for a student the writer may see (staff); it shows only findings in the text.
    "text_check": row(
        "200",
        anonymous="302-login",
        teacher_other="404",
        head_other_department="404",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "import_progress": row("404", anonymous="302-login", functional_admin="200"),
    "api-v1:openapi-json": row("200"),
    "api-v1:api-root": row("404"),
    "api-v1:school_detail": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:group_list": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:group_detail": row(
        "401",
        teacher="200",
        teacher_other="404",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        head_other_department="404",
        director="200",
        functional_admin="200",
    ),
    "api-v1:staff_list": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:staff_detail": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:student_list": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:student_detail": row(
        "401",
        teacher="200",
        teacher_other="404",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        head_other_department="404",
        director="200",
        functional_admin="200",
    ),
    "api-v1:guardian_list": row(
        "200",
        anonymous="401",
        board_member="401",
        guardian_authority="401",
        guardian_no_authority="401",
        guardian_other_child="401",
        student_16="401",
    ),
    "api-v1:guardian_detail": row(
        "401",
        teacher="200",
        teacher_other="404",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        head_other_department="404",
        director="200",
        functional_admin="200",
    ),
    # The forms posted empty.
    "dossier_log_create:post": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "dossier_log_edit:post": row("404", anonymous="302-login", teacher="200"),
    "dossier_log_correct:post": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),
    "dossier_document_upload:post": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "letter_template_edit:post": row(
        "404", anonymous="302-login", care_coordinator="422", director="422", functional_admin="422"
    ),
    "access_request_new:post": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "access_request_detail:post": row("404", anonymous="302-login"),
    "signable_document_detail:post": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "signables_create:post": row(
        "404",
        anonymous="302-login",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "signables_detail:post": row(
        "404",
        anonymous="302-login",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),
    "log_template_create:post": row(
        "404", anonymous="302-login", care_coordinator="200", director="200", functional_admin="200"
    ),
    "log_template_edit:post": row(
        "404", anonymous="302-login", care_coordinator="422", director="422", functional_admin="422"
    ),
    "legal_hold_place:post": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "legal_hold_lift:post": row("404", anonymous="302-login", care_coordinator="200", director="200"),
    "retention_settings:post": row("404", anonymous="302-login", functional_admin="302"),
    "school_settings:post": row("404", anonymous="302-login", functional_admin="200"),
    # Posted empty: no roles at all is a valid choice (saved, then back to the list).
    "staff_roles:post": row("404", anonymous="302-login", functional_admin="302", director="302"),
    "school_calendar_change:post": row("404", anonymous="302-login", functional_admin="422"),
    "portal:add_statement:post": row("404", anonymous="302-portal-login", guardian_authority="200"),
    "portal:document:post": row("404", anonymous="302-portal-login", guardian_authority="200"),
    "calendar_feed_settings:post": row(
        "200",
        anonymous="302-login",
        board_member="404",
        guardian_authority="404",
        guardian_no_authority="404",
        guardian_other_child="404",
        student_16="404",
    ),
    "import_start:post": row("404", anonymous="302-login", functional_admin="200"),
    "api_keys:post": row("404", anonymous="302-login", functional_admin="200"),
    "account_totp_setup:post": row("200", anonymous="302-login"),
    "portal:set_password:post": row("200", anonymous="302-portal-login"),
    "portal:totp_setup:post": row("200", anonymous="302-portal-login"),
    # The leerlingbespreking, meeting side: prepare (mentor, care coordinator), the meeting (its
    # participants; read by the group's team and the care team), referrals (care team only, AVG-4).
    "review_prepare": row("404", anonymous="302-login", mentor="200", care_coordinator="200"),
    "review_prepare:post": row("404", anonymous="302-login"),  # no student named: nothing to save
    "review_send_list:post": row("404", anonymous="302-login", mentor="302", care_coordinator="302"),
    "review_list_pdf": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),  # fmt: skip
    "review_meeting_mode": row(
        "404",
        anonymous="302-login",
        teacher="200",
        mentor="200",
        care_coordinator="200",
        behaviour_specialist="200",
        director="200",
    ),  # fmt: skip
    "review_meeting_start:post": row(
        "404", anonymous="302-login", teacher="400", mentor="400", care_coordinator="400"
    ),  # fmt: skip
    "review_discussion:post": row(
        "404", anonymous="302-login", teacher="400", mentor="400", care_coordinator="400"
    ),
    "review_agreement_add:post": row(
        "404", anonymous="302-login", teacher="400", mentor="400", care_coordinator="400"
    ),  # fmt: skip
    "review_referral_add:post": row(
        "404", anonymous="302-login", teacher="400", mentor="400", care_coordinator="400"
    ),  # fmt: skip
    "review_agreement_edit:post": row(
        "404", anonymous="302-login", teacher="400", mentor="400", care_coordinator="400"
    ),  # fmt: skip
    "review_meeting_close:post": row("404", anonymous="302-login", mentor="302", care_coordinator="302"),
    "review_follow_up": row("404", anonymous="302-login", mentor="200", care_coordinator="200"),
    "review_follow_up_record:post": row("404", anonymous="302-login", mentor="302", care_coordinator="302"),
    "review_evaluate": row("404", anonymous="302-login", mentor="200", care_coordinator="200"),
    "review_evaluation_report:post": row("404", anonymous="302-login", mentor="302", care_coordinator="302"),
    "review_referral": row(
        "404", anonymous="302-login", care_coordinator="200", behaviour_specialist="200", director="200"
    ),  # fmt: skip
}


def expected_for(label: str) -> dict[str, str]:
    if label.startswith(("admin:", "beheer/")):
        return ADMIN_OUTCOME
    return EXPECT[label]


# (row label, persona) → why today's outcome differs from the one in EXPECT.
KNOWN_DEVIATIONS: dict = {}
# (row label, persona, phrase kind) → why the persona reads a phrase it may not read on the page.
PHRASE_DEVIATIONS: dict = {}
