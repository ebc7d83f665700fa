"""Where the forms are, for tests/test_hostile_input.py, and how to read one from a page.

FORM_PAGES: route label (tests/persona_routes.py) → the persona who may use the page. Every form
on that page is found in its HTML and filled with hostile values. A route whose page has a form
or which takes a POST must be listed here or in NO_HOSTILE_FORM (with the reason), or
`test_every_form_page_is_attacked` fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Forms of the page layout (on every page): sign out, language, school menu. Attacked on their own
# rows (NO_HOSTILE_FORM says where), not on every page that shows them.
LAYOUT_ACTIONS = ("/uitloggen/", "/ouders/uitloggen/", "/i18n/setlang/", "/school-kiezen/")

FORM_PAGES = {
    "login": "anonymous",
    "password_reset": "anonymous",
    "account_totp_setup": "teacher",
    "dossier_timeline": "teacher",
    "dossier_log_create": "teacher",
    "dossier_log_edit": "teacher",
    "dossier_log_correct": "care_coordinator",
    "dossier_document_upload": "teacher",
    "letter_template_edit": "care_coordinator",
    "outbox": "care_coordinator",
    "deadline_list": "care_coordinator",
    "calendar_feed_settings": "teacher",
    "access_request_list": "care_coordinator",
    "access_request_new": "care_coordinator",
    "access_request_detail": "care_coordinator",
    "signable_document_detail": "mentor",
    "retention_settings": "functional_admin",
    "protocol_detail": "director",
    "protocol_detail:post": "director",
    "signables_create": "mentor",
    "signables_detail": "mentor",
    "log_template_list": "functional_admin",
    "log_template_create": "functional_admin",
    "log_template_edit": "functional_admin",
    "legal_hold_place": "care_coordinator",
    "legal_hold_lift": "care_coordinator",
    "portal:login": "anonymous",
    "portal:password_login": "anonymous",
    "portal:set_password": "guardian_authority",
    "portal:totp_setup": "guardian_authority",
    "portal:child": "guardian_authority",
    "portal:child:mila": "student_16",
    "portal:add_statement": "guardian_authority",
    "portal:document": "guardian_authority",
    "portal:document:mila": "student_16",
    "student_search": "teacher",
    "measures_time_out_new": "teacher",
    "measures_suspension_new": "director",
    "measures_expulsion_new": "director",
    "measures_suspension": "director",
    "measures_board_expulsion": "board_member",
    "measures_time_out": "care_coordinator",
    "measures_expulsion": "director",
    "school_settings": "functional_admin",
    "staff_list": "functional_admin",
    "staff_roles": "functional_admin",
    "school_calendar": "functional_admin",
    "school_calendar_change": "functional_admin",
    "api_keys": "functional_admin",
    "import_start": "functional_admin",
    "import_detail": "functional_admin",
    "reviews_planning": "care_coordinator",
    "reviews_meeting_create": "care_coordinator",
    "reviews_meeting_cycle": "care_coordinator",
    "reviews_leave_detail": "teacher",
    "reviews_signal_grid": "teacher",
    "reviews_signal_raise": "teacher",
    "review_prepare": "mentor",
    "review_meeting_mode": "care_coordinator",
    "review_follow_up": "mentor",
    "review_evaluate": "mentor",
    "review_referral": "care_coordinator",
    "behaviour_incident_new": "teacher",
    "behaviour_student": "teacher",
    "behaviour_consent": "director",
    "behaviour_dashboard": "director",
}

# Routes that take a POST but are reached through a form on another page (listed above), or whose
# form needs a state this world does not have; each with where it is attacked or why not.
BEHAVIOUR_STEPS = "needs an open behaviour case on its step (none in this world); attacked in tests/behaviour/test_plans_views.py"
NO_HOSTILE_FORM = {
    "login_code": "needs a half-finished sign-in; its code field is attacked in tests/schools/test_auth.py",
    "account_totp_disable": "a button on account_security, no fields",
    "account_backup_codes_new": "a button on account_backup_codes, no fields",
    "logout": "a button, no fields",
    "set_language": "the language menu: a choice from a fixed list (attacked as a form on every page)",
    "password_reset_confirm": "needs a mailed token that is used up on the first post",
    "outbox_retry": "a button on the outbox page (attacked there)",
    "deadline_complete": "a button on the deadlines page (attacked there)",
    "measures_board_decide": "the form on measures_board_expulsion (attacked there)",
    "measures_time_out_step": "the form on measures_time_out (attacked there)",
    "measures_expulsion_step": "the form on measures_expulsion (attacked there)",
    "measures_suspension_test": "shown on measures_suspension when a national test falls in the period; tests/measures/test_suspension_decisions.py",
    "measures_suspension_parents_view": "the form on measures_suspension (attacked there)",
    "measures_board_objection": "shown on measures_board_expulsion once an objection exists; tests/measures/test_steps.py",
    "log_template_deactivate": "a button on log_template_list (attacked there)",
    "portal:logout": "a button, no fields",
    "portal:redeem": "one button; a used-up link is tested in tests/portal/test_portal.py",
    "portal:totp_verify": "needs a guardian with a second factor; tests/portal/test_portal.py",
    "portal:request_access": "a button on portal:child (attacked there)",
    "portal:account": "links only",
    "switch_school": "the school menu on every staff page (attacked with staff_list)",
    "staff_add": "the form on staff_list (attacked there)",
    "staff_end": "a button on staff_roles (attacked there)",
    "school_calendar_add": "a form on school_calendar (attacked there)",
    "school_calendar_remove": "a button on school_calendar_change (attacked there)",
    "school_calendar_dagdeel": "a form on school_calendar (attacked there)",
    "school_calendar_defaults": "a button on school_calendar (attacked there)",
    "api_key_revoke": "a button on api_keys (attacked there)",
    "import_columns": "the form on import_detail (attacked there)",
    "import_apply": "a button on import_detail (attacked there)",
    "signables_list": "links only",
    "account_security": "links only",
    "account_backup_codes": "links only",
    "home": "links only",
    "dossier_log_correct:director": "the same form as dossier_log_correct (attacked there)",
    "import_oneroster_options": "shown on import_detail for a OneRoster bundle only (this world's run is CSV); "
    "choices the bundle does not offer: tests/schools/test_import_oneroster_bundles.py",
    "behaviour_step2_talk": BEHAVIOUR_STEPS,
    "behaviour_step2_feedback": BEHAVIOUR_STEPS,
    "behaviour_step2_evaluation": BEHAVIOUR_STEPS,
    "behaviour_step3_invite": BEHAVIOUR_STEPS,
    "behaviour_step3_talk": BEHAVIOUR_STEPS,
    "behaviour_step3_progress": BEHAVIOUR_STEPS,
    "behaviour_step3_external": BEHAVIOUR_STEPS,
    "behaviour_step3_evaluation": BEHAVIOUR_STEPS,
    "behaviour_step4_invite": BEHAVIOUR_STEPS,
    "behaviour_step4_plan": BEHAVIOUR_STEPS,
    "behaviour_step4_start": BEHAVIOUR_STEPS,
    "behaviour_host_log": BEHAVIOUR_STEPS,
    "behaviour_step4_return": BEHAVIOUR_STEPS,
    "reviews_meeting_move": "a form on reviews_meeting_cycle (attacked there)",
    "reviews_meeting_cancel": "a form on reviews_meeting_cycle (attacked there)",
    "reviews_signal_round_open": "a button on reviews_meeting_cycle (attacked there)",
    "reviews_leave_request": "a form on reviews_meeting_cycle for an expected teacher (tests/reviews/test_leave.py)",
    "reviews_agreements_read": "a button on reviews_meeting_cycle after the meeting, no fields",
    "reviews_written_input": "the forms on reviews_leave_detail once leave is approved (tests/reviews/test_leave.py)",
    "reviews_signal_save": "the grid on reviews_signal_grid (attacked there)",
    "reviews_signal_finish": "a button on reviews_signal_grid (attacked there)",
    "review_send_list": "a button on review_prepare (attacked there)",
    "review_meeting_start": "the form on review_meeting_mode when planned; its text is the same SafeForm "
    "textarea as the discussion form attacked there",
    "review_discussion": "the form on review_meeting_mode (attacked there)",
    "review_agreement_add": "the form on review_meeting_mode (attacked there)",
    "review_agreement_edit": "the forms on review_meeting_mode (attacked there)",
    "review_referral_add": "the form on review_meeting_mode (attacked there)",
    "review_meeting_close": "a button on review_meeting_mode (attacked there)",
    "review_follow_up_record": "the forms on review_follow_up (attacked there)",
    "review_evaluation_report": "a button on review_evaluate after the evaluation, no fields",
    "behaviour_incident_new:post": "the form of behaviour_incident_new (attacked there)",
    "behaviour_confirm_measure": "the measure form on behaviour_student (attacked there)",
    "behaviour_request_escalation": "the step-2 form on behaviour_student (attacked there)",
    "behaviour_consent:post": "the form of behaviour_consent (attacked there)",
    "behaviour_aftercare": "a form on behaviour_student for a victim (one choice from the school's list)",
    "behaviour_bullying_flag": "a button under Mijn acties of the anti-pest coordinator, no fields",
    "text_check": "posted by the text check under the log-note, document and letter forms (attacked with "
    "them); any text: the Hypothesis tests in tests/protocols/test_text_checks.py",
}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, number, date, file, email, password …
    value: str = ""
    options: list[str] = field(default_factory=list)

    def initial(self):
        """What the browser sends untouched (None: nothing, an unchecked box)."""
        if self.kind in ("radio", "checkbox") and not self.value:
            return None
        return self.value


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a or len(self._select.options) == 1:
                self._select.value = a.get("value", "")
        elif tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_url,
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if a.get("value"):  # a named button: keep its value
                    self._form.fields.setdefault(a["name"], Field(a["name"], "hidden", a["value"]))
                return
            existing = self._form.fields.get(a["name"])
            value = a.get("value", "on" if kind in ("radio", "checkbox") else "")
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(value)
                if "checked" in a:
                    existing.value = value
                return
            checked = kind not in ("radio", "checkbox") or "checked" in a
            self._form.fields[a["name"]] = Field(a["name"], kind, value if checked else "", [value])
        elif tag == "textarea":
            self._form.fields[a["name"]] = Field(a["name"], "textarea")
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields[a["name"]] = self._select
        elif tag == "button" and a.get("value"):
            self._form.fields.setdefault(a["name"], Field(a["name"], "hidden", a["value"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
