"""A student's full care history across behaviour, reviews and measures, for the student overview's tests
(issue 10 §8, issue 12 §8). Rows are made directly (the services are tested in their apps); each row the
overview reads gets its file entry where the overview filters by one (incidents, documents)."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone

from behaviour.models import Step
from behaviour.models_incidents import Incident, Involvement, Part
from behaviour.models_plans import BehaviourPlan
from deadlines.models import Deadline
from dossier.models import DossierEntry, Visibility
from dossier.models.entries import EntryKind
from measures.models import ExpulsionCase, Suspension, SuspensionMode, TimeOut
from protocols.registry import MEASURES
from protocols.services import start_case_version
from reviews.models_meeting import Agreement, Referral
from signatures.models import DocumentVersion, SignableDocument, SignatureRequest, SignerType
from tests.behaviour.factories import BehaviourCaseFactory
from tests.reviews.factories import ReviewMeetingFactory

REFERRAL_QUESTION = "Zorgvraag-alleen-zorgteam: wat speelt er thuis?"
DIRECTOR_DOCUMENT = "Document-alleen-directie"
CARE_INCIDENT = "Categorie-alleen-zorgteam"
HEALTH_INCIDENT = "Categorie-gezondheid"
PLAN_BEHAVIOUR = "Sanne steekt haar vinger op en wacht op haar beurt."


def _entry(world, student, source, *, visibility=Visibility.TEAM, is_health=False, kind=EntryKind.INCIDENT):
    return DossierEntry.objects.create(
        school=student.school, student=student, kind=kind, title=str(source)[:200], author=world.teacher,
        visibility=visibility, is_health=is_health, source=source,
    )  # fmt: skip


def incident(world, student, case, n: int, *, category="fysiek geweld", serious=False, **entry):
    happened = timezone.now() - datetime.timedelta(days=n + 1)
    row = Incident.objects.create(
        school=student.school, category=category, facts="Duwde in de gang.", happened_at=happened,
        reported_by=world.teacher, serious=serious,
    )  # fmt: skip
    return Involvement.objects.create(
        incident=row,
        student=student,
        part=Part.ACTOR,
        case=case,
        number=n,
        entry=_entry(world, student, row, **entry),
    )


def document(world, student, title, *, visibility=Visibility.TEAM):
    doc = SignableDocument.objects.create(school=student.school, student=student, title=title)
    version = DocumentVersion.objects.create(
        document=doc, number=1, content=title, sha256=hashlib.sha256(title.encode()).hexdigest()
    )
    doc.current_version = version
    doc.save(update_fields=["current_version"])
    SignatureRequest.objects.create(
        version=version, signer_type=SignerType.GUARDIAN, guardian=world.parent_sanne
    )
    SignatureRequest.objects.create(version=version, signer_type=SignerType.STUDENT, student=student)
    _entry(world, student, doc, visibility=visibility, kind=EntryKind.AGREEMENT)
    return doc


def full_history(world, student=None, n: int = 5) -> dict:
    """`n` incidents, deadlines, documents and agreements (and a step-2 plan, a referral, open measures)."""
    student = student or world.sanne
    today = timezone.localdate()
    case = BehaviourCaseFactory(student=student, step=Step.PERIODIC)
    for i in range(n):
        incident(world, student, case, i + 2)
    newest = incident(world, student, case, 0, category="ernstig incident", serious=True)
    care_only = incident(world, student, case, 1, category=CARE_INCIDENT, visibility=Visibility.CARE_TEAM)
    health = incident(world, student, case, 1, category=HEALTH_INCIDENT, is_health=True)
    plan = BehaviourPlan.objects.create(
        school=student.school, case=case, student=student, talk_on=today - datetime.timedelta(days=7),
        participants="leerling, leerkracht, ouders", desired_behaviour=PLAN_BEHAVIOUR, feedback_frequency="weekly",
        feedback_channel="e-mail", teacher=world.teacher, evaluation_due=today + datetime.timedelta(days=53),
    )  # fmt: skip
    overdue = Deadline.objects.create(
        school=student.school, owner=world.teacher, student=student, title="Terugkoppeling aan de ouders",
        rule="GP-9", due_on=today - datetime.timedelta(days=3), source=plan, url=f"/gedrag/leerling/{student.pk}/",
    )  # fmt: skip
    for i in range(n):
        Deadline.objects.create(
            school=student.school, owner=world.teacher, student=student, title=f"Terugkoppeling week {i + 2}",
            rule="GP-9", due_on=today + datetime.timedelta(days=7 * (i + 1)), source=plan,
        )  # fmt: skip
    documents = [document(world, student, f"Gedragsplan versie {i}") for i in range(n)]
    director_doc = document(world, student, DIRECTOR_DOCUMENT, visibility=Visibility.DIRECTOR)
    meeting = ReviewMeetingFactory(
        group=world.group_2b, leader=world.mentor, chair=world.carla, minute_taker=world.teacher,
        starts_at=timezone.now() - datetime.timedelta(days=14),
    )  # fmt: skip

    def agreement(goal, starts, evaluate, owner=world.mentor):
        return Agreement.objects.create(
            school=student.school, meeting=meeting, student=student, owner=owner, goal=goal,
            starts_on=today + datetime.timedelta(days=starts), evaluate_on=today + datetime.timedelta(days=evaluate),
        )  # fmt: skip

    running = agreement("Noteert elke les het huiswerk in de planner.", -7, 40)
    late = agreement("Meldt zich elke ochtend bij de mentor.", -30, -2, owner=world.teacher)
    starting = agreement("Zit voorin bij wiskunde.", 5, 60)
    for i in range(n):
        agreement(f"Afspraak nummer {i}", -1, 70 + i)
    referral = Referral.objects.create(
        school=student.school, meeting=meeting, student=student, target="care_team", question=REFERRAL_QUESTION,
        reason="Signalen van drie docenten.",
    )  # fmt: skip
    version = start_case_version(school=student.school, protocol=MEASURES)
    time_out = TimeOut.objects.create(
        school=student.school,
        student=student,
        protocol_version=version,
        incident="Gooide een stoel.",
        on_date=today,
    )
    suspension = Suspension.objects.create(
        school=student.school, student=student, protocol_version=version, reasons="Bedreiging.",
        mode=SuspensionMode.PROPOSED, start_on=today + datetime.timedelta(days=1), school_days=2,
        end_on=today + datetime.timedelta(days=2), catch_up_work="Hoofdstuk 4.", contact_person=world.mentor,
    )  # fmt: skip
    expulsion = ExpulsionCase.objects.create(
        school=student.school, student=student, protocol_version=version, ground="Herhaald ernstig geweld."
    )
    return locals()
