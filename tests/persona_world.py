"""One school's world for the persona × route matrix (tests/test_persona_matrix.py): the fixed
personas of tests/conftest.py plus an object of every kind in Sanne's file, with real ids.

Three unique phrases are planted where only some roles may read them (AVG-4):
- CARE_PHRASE in care-team-only entries, log notes and documents;
- DIRECTOR_PHRASE in director-only ones;
- HEALTH_PHRASE in health-marked ones (care team only, whatever the level).
A persona who may not read a phrase on the page must never meet it anywhere else either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from deadlines.services.calendar_feed import regenerate_calendar_token
from deadlines.services.deadlines import create_deadline
from dossier.models import EntryKind, Visibility
from dossier.services.access_requests import build_access_export, request_access
from dossier.services.documents import upload_document
from dossier.services.log_templates import create_log_template
from dossier.services.logbook import write_log_entry
from dossier.services.record import record
from dossier.services.retention import place_legal_hold
from messaging.services.messages import compose_letter, send_message
from portal.models import PortalLoginToken
from protocols.services import change_protocol
from schools.models import ImportRun, SchoolHoliday
from schools.services.api_keys import create_api_key
from signatures.services.signatures import create_signable_document

from .conftest import World, add_more_guardians, build_world

CARE_PHRASE = "Zorgsignaal-Kwartel-7731"
DIRECTOR_PHRASE = "Directienoot-Reiger-4412"
HEALTH_PHRASE = "Gezondheid-Lepelaar-9051"
PHRASES = {"care": CARE_PHRASE, "director": DIRECTOR_PHRASE, "health": HEALTH_PHRASE}

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# name → how the persona is found in the World (None: nobody signed in).
PERSONAS = {
    "anonymous": None,
    "teacher": "teacher",  # Tom teaches Sanne's group 2B
    "teacher_other": "olga",  # Olga teaches 3C, not Sanne
    "mentor": "mentor",
    "care_coordinator": "carla",
    "behaviour_specialist": "bea",
    "head_other_department": "henk",  # head of bovenbouw; Sanne is in onderbouw
    "director": "dirk",
    "board_member": "bert",
    "functional_admin": "fiona",
    "guardian_authority": "parent_sanne",
    "guardian_no_authority": "stef",
    "guardian_other_child": "parent_daan",
    "student_16": "mila",  # Mila is 17 and signs in herself; Sanne's file is not hers
}
STAFF_PERSONAS = (
    "teacher",
    "teacher_other",
    "mentor",
    "care_coordinator",
    "behaviour_specialist",
    "head_other_department",
    "director",
    "functional_admin",
)
# Who may read what on the page (AVG-4): the expected reach of each phrase.
READS = {
    "care": {"care_coordinator", "behaviour_specialist", "director"},
    "director": {"director"},
    "health": {"care_coordinator", "behaviour_specialist", "director"},
}


@dataclass
class MatrixWorld:
    world: World
    ids: dict
    sessions: dict = field(default_factory=dict)  # persona → session cookie value
    feeds: dict = field(default_factory=dict)  # persona → calendar feed path

    def client(self, persona: str, **kwargs) -> Client:
        client = Client(raise_request_exception=False, **kwargs)
        if self.sessions.get(persona):
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def _user_of(world: World, persona: str):
    attr = PERSONAS[persona]
    if attr is None:
        return None
    obj = getattr(world, attr)
    if hasattr(obj, "relations") or obj.__class__.__name__ in ("Guardian", "Student"):
        if obj.user is None:
            from . import factories as f

            obj.user = f.UserFactory(email=obj.email, full_name=str(obj))
            obj.save()
        return obj.user
    return getattr(obj, "user", obj)


def build_matrix_world() -> MatrixWorld:
    w = add_more_guardians(build_world())
    sanne, daan, mila = w.sanne, w.daan, w.mila
    carla, dirk, mentor, fiona = w.carla, w.dirk, w.mentor, w.fiona

    # Entries straight into the file, at each level.
    team_entry = record(
        student=sanne, kind=EntryKind.INCIDENT, title="Ruzie op het plein", body="Sanne en Daan Jansen.",
        actor=mentor, parent_visible=True, involved=[daan],
    )  # fmt: skip
    record(
        student=sanne, kind=EntryKind.TALK, title=f"Zorgoverleg {CARE_PHRASE}", body=CARE_PHRASE,
        actor=carla, visibility=Visibility.CARE_TEAM,
    )  # fmt: skip
    record(
        student=sanne, kind=EntryKind.TALK, title=f"Directie {DIRECTOR_PHRASE}", body=DIRECTOR_PHRASE,
        actor=dirk, visibility=Visibility.DIRECTOR,
    )  # fmt: skip
    record(
        student=sanne, kind=EntryKind.SIGNAL, title=f"Medisch {HEALTH_PHRASE}", body=HEALTH_PHRASE,
        actor=carla, is_health=True,
    )  # fmt: skip
    # Log notes: a team one by the teacher (editable by him), and one per restricted level.
    log_team = write_log_entry(
        actor=w.teacher.user, student=sanne, title="Huiswerk vergeten", body="Sanne vergat haar huiswerk."
    )
    log_care = write_log_entry(
        actor=carla.user, student=sanne, title=f"Zorgnotitie {CARE_PHRASE}", body=CARE_PHRASE,
        visibility=Visibility.CARE_TEAM,
    )  # fmt: skip
    log_director = write_log_entry(
        actor=dirk.user, student=sanne, title=f"Directienotitie {DIRECTOR_PHRASE}", body=DIRECTOR_PHRASE,
        visibility=Visibility.DIRECTOR,
    )  # fmt: skip
    log_health = write_log_entry(
        actor=carla.user, student=sanne, title=f"Gezondheid {HEALTH_PHRASE}", body=HEALTH_PHRASE,
        is_health=True,
    )  # fmt: skip
    # A note naming a child of another group: Tom (2B) does not teach Mila (3C).
    log_other_child = write_log_entry(
        actor=mentor.user,
        student=sanne,
        title="Pauze",
        body="Sanne speelde met Mila Bakker.",
        involved=[mila],
    )
    # Documents.
    doc_team = upload_document(
        actor=mentor.user, student=sanne, upload=SimpleUploadedFile("rooster.pdf", PDF_BYTES), title="Rooster"
    )
    doc_care = upload_document(
        actor=carla.user, student=sanne, upload=SimpleUploadedFile("verslag.pdf", PDF_BYTES),
        title=f"Verslag {CARE_PHRASE}", visibility=Visibility.CARE_TEAM,
    )  # fmt: skip
    doc_health = upload_document(
        actor=carla.user, student=sanne, upload=SimpleUploadedFile("arts.pdf", PDF_BYTES),
        title=f"Artsbrief {HEALTH_PHRASE}", is_health=True,
    )  # fmt: skip
    letter = compose_letter(actor=mentor, student=sanne, template_code="gp.out_of_class.hour")
    message = send_message(actor=mentor, student=sanne, subject="Uitnodiging", body="Graag dinsdag.")
    deadline = create_deadline(
        school=w.school, owner=carla, title=f"Evaluatie {CARE_PHRASE}", rule="GP-10",
        due_on=timezone.localdate() - datetime.timedelta(days=3), student=sanne,
    )  # fmt: skip
    access_request = request_access(requester=w.parent_sanne, student=sanne)
    build_access_export(actor=carla, request=access_request)
    signable = create_signable_document(
        actor=mentor, student=sanne, title="Afspraken", content="Sanne doet mee."
    )
    mila_signable = create_signable_document(
        actor=w.olga, student=mila, title="Stage", content="Mila loopt stage."
    )
    holiday = SchoolHoliday.objects.create(
        school=w.school, name="Studiedag", kind="study_day",
        start=datetime.date(2027, 3, 3), end=datetime.date(2027, 3, 3),
    )  # fmt: skip
    key, _ = create_api_key(actor=fiona.user, school=w.school, name="LVS", scopes=["students:read"])
    run = ImportRun.objects.create(
        school=w.school, format="tabular", filename="leerlingen.csv",
        upload=SimpleUploadedFile("leerlingen.csv", b"leerlingnummer;voornaam;achternaam\n1001;Sanne;Vries\n"),
    )  # fmt: skip
    template = create_log_template(actor=fiona.user, school=w.school, name="Telefoontje", body="Gebeld met")
    hold = place_legal_hold(actor=carla.user, student=daan, reason=f"Geschil {CARE_PHRASE}")
    protocol_version = change_protocol(
        actor=w.dirk, school=w.school, protocol="measures", values={"decision_term_weeks": 3},
        reason="Besluit van het bestuur", based_on=0,
    )  # fmt: skip
    measures = _measures_of(w)  # measures/: a time-out, a suspension and an expulsion case for Sanne
    now = timezone.now()
    link_token = PortalLoginToken.new_token()
    PortalLoginToken.objects.create(
        email=w.parent_sanne.email, token_hash=PortalLoginToken.hash_token(link_token), created_at=now,
        expires_at=now + datetime.timedelta(minutes=15),
    )  # fmt: skip

    review = _review_cycle(w)  # issue 12: a meeting of 2B, its signal round and Tom's leave request
    review_ids = _review_meetings(w)

    mw = MatrixWorld(world=w, ids={})
    for persona in PERSONAS:
        user = _user_of(w, persona)
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        mw.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    for persona in STAFF_PERSONAS:
        staff = getattr(w, PERSONAS[persona])
        mw.feeds[persona] = f"/dossier/agenda/{regenerate_calendar_token(staff=staff, actor=staff.user)}.ics"
    tom = w.teacher.user
    mw.ids = {
        "student": sanne.pk, "mila": mila.pk, "group": w.group_2b.pk, "staff": w.teacher.pk,
        "log": log_team.pk, "log_other_child": log_other_child.pk, "log_care": log_care.pk, "log_director": log_director.pk,
        "log_health": log_health.pk, "document": doc_team.pk, "document_care": doc_care.pk,
        "document_health": doc_health.pk, "letter": letter.pk, "message": message.pk,
        "deadline": deadline.pk, "request": access_request.pk, "signable": signable.pk,
        "mila_signable": mila_signable.pk, "holiday": holiday.pk, "protocol_version": protocol_version.pk, "key": key.pk, "run": run.pk,
        "template": template.pk, "hold": hold.pk, "entry": team_entry.pk, "guardian": w.parent_sanne.pk,
        "link_token": link_token, "letter_code": "gp.out_of_class.hour",
        "uidb64": urlsafe_base64_encode(force_bytes(tom.pk)), "reset_token": default_token_generator.make_token(tom),
        **measures,
        "feed_token": mw.feeds["teacher"].rsplit("/", 1)[1].removesuffix(".ics"),
        **review,
        **review_ids,
    }  # fmt: skip
    from .behaviour.persona import behaviour_objects

    mw.ids.update(behaviour_objects(w))
    return mw


def _review_cycle(w: World) -> dict:
    """The review cycle of 2B (issue 12): planned by Anouk, led by Mirjam, chaired by Carla."""
    from reviews.services.leave import request_leave
    from reviews.services.planning import plan_review_meeting, plan_review_round
    from reviews.services.signals import open_signal_round

    review_round = plan_review_round(actor=w.anouk, school_year=w.group_2b.school_year, number=1)
    day = timezone.localdate() + datetime.timedelta(days=28)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
    meeting = plan_review_meeting(
        actor=w.anouk, review_round=review_round, group=w.group_2b, starts_at=starts_at, place="B12",
        leader=w.mentor, chair=w.carla,
    ).meeting  # fmt: skip
    signal_round = open_signal_round(actor=w.mentor, meeting=meeting)
    leave = request_leave(actor=w.teacher, meeting=meeting, reason="Cursus")
    return {"review_round": review_round.pk, "review_meeting": meeting.pk, "signal_round": signal_round.pk,
            "leave_request": leave.pk}  # fmt: skip


def _review_meetings(w: World) -> dict:
    """The leerlingbespreking of 2B: one closed (follow-up, evaluation) and one in progress with a
    care-only referral (LB-11, AVG-4); Daan is discussed without an outcome, so closing is refused."""
    from reviews.models import FollowUp
    from reviews.services import agreements, meeting, preparation

    from .reviews.factories import ReviewMeetingFactory

    def prepared(m, *students):
        for student in students:
            preparation.save_discussion_item(actor=w.mentor.user, meeting=m, student=student,
                                             values={"hulpvraag": "Overzicht houden?", "questions": "Huiswerk?"})  # fmt: skip
        meeting.start_meeting(actor=w.carla.user, meeting=m, tasks="Mirjam leidt, Carla tijd, Tom notuleert.")
        for student in students:
            meeting.save_student_discussion(actor=w.teacher.user, meeting=m, student=student,
                                            values={"strengths": "Behulpzaam."}, expected_version=None)  # fmt: skip

    def agree(m, student):
        return agreements.add_agreement(
            actor=w.carla.user, meeting=m, student=student, owner=w.mentor, carried_out_by=[w.teacher],
            goal="Noteert elke les het huiswerk in de planner.",
            evaluate_on=timezone.localdate() + datetime.timedelta(days=90),
        )  # fmt: skip

    now = timezone.now()
    earlier = ReviewMeetingFactory(group=w.group_2b, leader=w.mentor, chair=w.carla, minute_taker=w.teacher,
                                   starts_at=now - datetime.timedelta(days=2))  # fmt: skip
    prepared(earlier, w.sanne)
    closed_agreement = agree(earlier, w.sanne)
    evaluated_agreement = agree(earlier, w.sanne)
    meeting.close_meeting(actor=w.carla.user, meeting=earlier)
    evaluation = agreements.evaluate_agreement(actor=w.mentor.user, agreement=evaluated_agreement,
                                               outcome="achieved", what_next="Doorgaan zoals nu.")  # fmt: skip
    running = ReviewMeetingFactory(group=w.group_2b, leader=w.mentor, chair=w.carla, minute_taker=w.teacher,
                                   starts_at=now + datetime.timedelta(hours=1))  # fmt: skip
    prepared(running, w.sanne, w.daan)
    running_agreement = agree(running, w.sanne)
    referral = agreements.refer(actor=w.carla.user, meeting=running, student=w.sanne, target="zat",
                                question="Hulp van buiten?", reason=f"Thuis {CARE_PHRASE}")  # fmt: skip
    return {
        "review_meeting_live": running.pk, "review_meeting_closed": earlier.pk, "review_agreement": running_agreement.pk,
        "review_agreement_closed": closed_agreement.pk, "review_referral": referral.pk,
        "review_follow_up": FollowUp.objects.filter(meeting=earlier).first().pk, "review_evaluation": evaluation.pk,
    }  # fmt: skip


def _measures_of(w) -> dict:
    """Sanne's time-out, one-day suspension and expulsion case (measures/), for their pages' rows."""
    from measures.models import SuspensionMode
    from measures.services.expulsions import open_expulsion
    from measures.services.suspensions import suspend
    from measures.services.timeouts import impose_time_out

    time_out = impose_time_out(actor=w.mentor, student=w.sanne, incident="Stoel gegooid.")
    suspension = suspend(
        actor=w.dirk, student=w.sanne, grounds=[time_out.setting("suspension_grounds")[0]], reasons="Geweld.",
        start_on=timezone.localdate(), school_days=1, mode=SuspensionMode.PROPOSED, catch_up_work="Rekenen.",
        contact_person=w.mentor,
    )  # fmt: skip
    expulsion = open_expulsion(actor=w.dirk, student=w.sanne, ground="Herhaald geweld.")
    return {"time_out": time_out.pk, "suspension": suspension.pk, "expulsion": expulsion.pk}
