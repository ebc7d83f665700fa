"""Benchmarks of het gedragsprotocol (`make bench`) on the board data set with five years of incidents.

`build(schools)` adds the history: per school and school year INCIDENTS_PER_YEAR incidents (an actor,
often a victim, sometimes a bystander) with a case per student and school year (closed at the
year's end, the current one open on step 1–4) and the ladder's measures; one student per school
(the third of the benchmark group) is the actor of LONG_HISTORY incidents a year, the fourth of one
incident this school year. `run(...)` measures:

- registering an incident: the whole service call (case, ladder number, file entries, bullying
  check, queued messages), for the long-history student and for the one without;
- the student's behaviour page (the overview) for both;
- the school dashboard (all five years, and this school year) and the school's step overview;
- who is where in the group.

The query counts of the long-history and the short-history student are reported side by side:
they must be equal (constant in the history).
"""

from __future__ import annotations

import datetime
import os
import random
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

INCIDENTS_PER_YEAR = int(os.environ.get("BENCH_INCIDENTS_PER_SCHOOL_YEAR", "600"))
LONG_HISTORY = int(os.environ.get("BENCH_LONG_HISTORY_PER_YEAR", "40"))
YEARS = 5
REQUESTS_INCIDENTS = 30
LADDER = [
    ("warning_1", "eerste waarschuwing", "GP-3"),
    ("warning_2", "2e waarschuwing", "GP-3"),
    ("small_sanction_1", "kleine sanctie", "GP-3"),
    ("stage_1", "buiten de klas, stap 1", "GP-4"),
    ("stage_2", "buiten de klas, stap 2", "GP-4"),
    ("stage_3", "buiten de klas, stap 3", "GP-4"),
]
FACTS = [
    "Duwde een medeleerling in de gang.",
    "Riep herhaaldelijk door de les heen.",
    "Gooide een schrift door de klas.",
    "Schold een medeleerling uit op het plein.",
    "Weigerde de opdracht en liep de klas uit.",
]


def _students(group_id: int) -> tuple[int, int]:
    """The long-history and the one-incident student of a benchmark group (its third and fourth)."""
    from schools.models import GroupMembership

    with scopes_disabled():
        ids = list(
            GroupMembership.objects.filter(group_id=group_id, end__isnull=True)
            .order_by("student_id")
            .values_list("student_id", flat=True)[2:4]
        )
    return ids[0], ids[1]


def build(schools, *, per_year: int = INCIDENTS_PER_YEAR, long_history: int = LONG_HISTORY) -> dict[str, int]:
    """Five years of incidents in every benchmark school (bulk inserts, no services)."""
    from .models_incidents import Incident

    rng = random.Random(10)
    with scopes_disabled():
        before = Incident.objects.count()
        for bench in schools:
            _school_history(rng, bench, per_year, long_history)
        return {"behaviour_incidents": Incident.objects.count() - before}


def _years(today: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime, bool]]:
    from schools.models import SchoolYear

    start, _end = SchoolYear.bounds_for(today)
    now = timezone.now()
    spans = []
    for k in range(YEARS):
        begin = start.replace(year=start.year - k)
        end = begin.replace(year=begin.year + 1) - datetime.timedelta(days=1)
        first = timezone.make_aware(datetime.datetime.combine(begin, datetime.time(8)))
        last = (
            now - datetime.timedelta(hours=1)
            if k == 0
            else timezone.make_aware(datetime.datetime.combine(end, datetime.time(16)))
        )
        spans.append((first, max(first + datetime.timedelta(hours=1), last), k == 0))
    return spans


def _moment(rng: random.Random, first: datetime.datetime, last: datetime.datetime) -> datetime.datetime:
    seconds = int((last - first).total_seconds())
    at = first + datetime.timedelta(seconds=rng.randrange(max(seconds, 1)))
    if at.weekday() >= 5:
        at -= datetime.timedelta(days=2)
    at = at.replace(hour=rng.choice([8, 9, 10, 10, 11, 12, 12, 13, 14, 15]))
    return min(max(at, first), last)


def _school_history(rng: random.Random, bench, per_year: int, long_history: int) -> None:
    from protocols.registry import BEHAVIOUR
    from protocols.services import start_case_version
    from schools.models import Group, School, StaffMember, Student

    from .models import BehaviourCase, Step
    from .models_incidents import Incident, Involvement, LadderMeasure, Part
    from .settings import SEED_CATEGORIES

    school = School.objects.get(pk=bench.school_id)
    version = start_case_version(school=school, protocol=BEHAVIOUR)
    students = list(Student.objects.filter(school=school).order_by("pk").values_list("pk", flat=True))
    staff = list(StaffMember.objects.filter(school=school).values_list("pk", flat=True))
    host = Group.objects.filter(school=school).exclude(pk=bench.group_id).order_by("pk").first()
    long_id, short_id = _students(bench.group_id)
    pool = [s for s in students if s not in (long_id, short_id)]
    actors_pool = rng.sample(pool, max(1, len(pool) // 3))  # a third of the students ever act
    with transaction.atomic():
        for first, last, current in _years(timezone.localdate()):
            events = []  # (moment, actor, victim, bystander)
            for _n in range(per_year):
                victim = rng.choice(pool) if rng.random() < 0.4 else None
                bystander = rng.choice(pool) if rng.random() < 0.1 else None
                events.append((_moment(rng, first, last), rng.choice(actors_pool), victim, bystander))
            events += [
                (_moment(rng, first, last), long_id, rng.choice(pool), None) for _n in range(long_history)
            ]
            if current:  # the short history: one incident this school year
                events.append((_moment(rng, first, last), short_id, None, None))
            events.sort(key=lambda e: e[0])
            incidents = Incident.objects.bulk_create(
                [
                    Incident(
                        school=school, category=rng.choice(SEED_CATEGORIES), facts=rng.choice(FACTS), where="gang",
                        happened_at=at, recorded_at=at, action_taken="Apart genomen.", discussed_with_student=True,
                        serious=rng.random() < 0.03, reported_by_id=rng.choice(staff),
                    )
                    for at, *_rest in events
                ],
                batch_size=2000,
            )  # fmt: skip
            openings: dict[int, datetime.datetime] = {}
            for at, actor, *_rest in events:
                openings.setdefault(actor, at)
            cases = BehaviourCase.objects.bulk_create(
                [
                    BehaviourCase(
                        school=school, student_id=actor, protocol_version=version, opened_at=opened,
                        step=(Step.INCIDENT if actor in (long_id, short_id) or not current else rng.choice([1] * 17 + [2, 2, 3, 4])),
                        closed_at=None if current else last,
                        close_reason="" if current else "Nieuw schooljaar: de ladder begint opnieuw (GP-3).",
                    )
                    for actor, opened in openings.items()
                ],
                batch_size=2000,
            )  # fmt: skip
            case_of = {case.student_id: case for case in cases}
            numbers: dict[int, int] = {}
            involvements, measures = [], []
            for incident, (at, actor, victim, bystander) in zip(incidents, events, strict=True):
                numbers[actor] = numbers.get(actor, 0) + 1
                case = case_of[actor]
                involvements.append(
                    Involvement(
                        incident=incident, student_id=actor, part=Part.ACTOR, case=case, number=numbers[actor]
                    )
                )
                if victim is not None and victim != actor:
                    involvements.append(Involvement(incident=incident, student_id=victim, part=Part.VICTIM))
                if bystander is not None and bystander not in (actor, victim):
                    involvements.append(
                        Involvement(incident=incident, student_id=bystander, part=Part.BYSTANDER)
                    )
                if numbers[actor] <= len(LADDER):
                    code, label, rule = LADDER[numbers[actor] - 1]
                    stage = code.startswith("stage_")
                    measures.append(
                        LadderMeasure(
                            case=case, incident=incident, code=code, label=label, proposed_code=code, rule=rule,
                            host_group=host if stage else None, work_given="Werk uit de methode." if stage else "",
                            confirmed_by_id=incident.reported_by_id, confirmed_at=at,
                        )
                    )  # fmt: skip
            Involvement.objects.bulk_create(involvements, batch_size=5000)
            LadderMeasure.objects.bulk_create(measures, batch_size=5000)


def _client(user_id: int) -> Client:
    from schools.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _director_user_id(school_id: int) -> int:
    from schools.models import Role, StaffMember

    with scopes_disabled():
        return (
            StaffMember.objects.filter(school_id=school_id, role_assignments__role=Role.DIRECTOR)
            .values_list("user_id", flat=True)
            .first()
        )


def _register(name: str, school, staff, student, category, requests: int):
    from bench.measure import Result

    from .models_incidents import Part
    from .services.incidents import register_incident

    def once():
        register_incident(actor=staff, students=[(student, Part.ACTOR)], category=category,
                          facts="Duwde een medeleerling in de gang.", happened_at=timezone.now())  # fmt: skip

    once()  # warm-up: the student without history gets their case here
    result = Result(name)
    for _n in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            once()
            result.timings_ms.append((time.perf_counter() - started) * 1000)
        result.queries.append(len(ctx.captured_queries))
    return result


def run(schools, requests: int = 20) -> list:
    from bench.measure import measure
    from protocols.registry import BEHAVIOUR
    from protocols.services import protocol_value
    from schools.models import School, SchoolYear, StaffMember, Student

    bench = schools[1] if len(schools) > 1 else schools[0]
    school = School.objects.get(pk=bench.school_id)
    long_id, short_id = _students(bench.group_id)
    results = []
    care = _client(bench.care_coordinator_user_id)
    director = _client(_director_user_id(school.pk))
    # The pages first: the registrations below add to the history they read.
    for label, pk in (("5 jaar geschiedenis", long_id), ("1 incident", short_id)):
        results.append(
            measure(
                f"gedragspagina leerling, {label} (zorgcoördinator)",
                care,
                f"/gedrag/leerling/{pk}/",
                {},
                requests,
            )
        )
    for label, pk in (("5 jaar geschiedenis", long_id), ("1 incident", short_id)):
        # The student's page as the care overview: every app's panels in one query (issue 10 §8).
        results.append(measure(f"leerlingpagina met zorgoverzicht, {label} (zorgcoördinator)", care,
                               f"/leerlingen/{pk}/", {}, requests))  # fmt: skip
    # Emptied date fields ask for every year (the page opens on this school year).
    results.append(measure("dashboard school, alle 5 jaar (directeur)", director, "/gedrag/school/",
                           {"van": "", "tot": ""}, requests))  # fmt: skip
    year_start = SchoolYear.bounds_for(timezone.localdate())[0]
    results.append(measure("dashboard school, dit schooljaar (directeur)", director, "/gedrag/school/",
                           {"van": year_start.isoformat()}, requests))  # fmt: skip
    results.append(
        measure("stappenoverzicht school (directeur)", director, "/gedrag/school/stappen/", {}, requests)
    )
    results.append(
        measure(
            "wie staat waar, groep (zorgcoördinator)", care, f"/gedrag/groep/{bench.group_id}/", {}, requests
        )
    )
    with scope(school=school):
        staff = StaffMember.objects.filter(user_id=bench.care_coordinator_user_id, school=school).first()
        category = protocol_value(school, BEHAVIOUR, "incident_categories")[0]
        for label, pk in (("5 jaar geschiedenis", long_id), ("1 incident", short_id)):
            student = Student.objects.get(pk=pk)
            results.append(_register(f"incident vastleggen (service, ladder, dossier), {label}", school, staff,
                                     student, category, min(requests, REQUESTS_INCIDENTS)))  # fmt: skip
    return results
