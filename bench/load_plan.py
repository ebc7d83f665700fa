"""The school day of `make bench-load` (bench/load.py): the data it needs beyond bench.dataset and
bench.history (open signal rounds), and the plan: personas with a signed-in session and their
weighted pages (GETs, and POSTs with the data to send)."""

from __future__ import annotations

import random

PERSONA_SCHOOLS = 6  # the schools whose staff and parents click (of the twenty)
BARE = "kale pagina (vloer)"


# --- data the school day needs beyond bench.dataset and bench.history -----------------------------


def open_signal_rounds(schools) -> int:
    """The last week before a review round (LB-4): a round per persona school with a meeting per
    current group in 12 days and its signal lists opened through the service (one list per teacher of
    the group, the messages queued), due in about five days, so the teachers fill them in."""
    import datetime

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from protocols.registry import REVIEW
    from protocols.services import start_case_version
    from reviews.models import ReviewMeeting, ReviewRound
    from reviews.models_cycle import SignalRound
    from reviews.services.signals import open_signal_round
    from schools.models import Group, Role, RoleAssignment, SchoolYear, TeachingAssignment

    today = timezone.localdate()
    starts_at = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=12), datetime.time(15, 0))
    )
    opened = 0
    with scopes_disabled():
        for bench in schools:
            year = SchoolYear.objects.get(school_id=bench.school_id, start__lte=today, end__gte=today)
            chair = RoleAssignment.objects.get(
                staff__school_id=bench.school_id, role=Role.CARE_COORDINATOR
            ).staff
            review_round = ReviewRound.objects.create(school_id=bench.school_id, school_year=year, number=1)
            version = start_case_version(school=review_round.school, protocol=REVIEW)
            leaders = dict(
                TeachingAssignment.objects.filter(group__school_year=year)
                .order_by("-pk")
                .values_list("group_id", "staff_id")
            )
            groups = Group.objects.filter(school_year=year).select_related("school").order_by("pk")
            meetings = ReviewMeeting.objects.bulk_create(
                ReviewMeeting(school_id=bench.school_id, round=review_round, group=group, starts_at=starts_at,
                              leader_id=leaders[group.pk], chair=chair, protocol_version=version)
                for group in groups if group.pk in leaders
            )  # fmt: skip
            for meeting in ReviewMeeting.objects.filter(pk__in=[m.pk for m in meetings]).select_related(
                "group", "school", "protocol_version"
            ):
                open_signal_round(actor=None, meeting=meeting)
                opened += 1
            # The school calendar may move the due date; the lists stay open through the run.
            SignalRound.objects.filter(
                school_id=bench.school_id, due_on__lt=today + datetime.timedelta(days=3)
            ).update(due_on=today + datetime.timedelta(days=5))
    return opened


# --- the plan: who clicks what -------------------------------------------------------------------


def make_plan(schools, cookie_name: str) -> dict:
    """Personas of the first PERSONA_SCHOOLS schools, each with a real session (no log-in traffic):
    60 % teachers, 16 % care coordinators, 8 % directors, 16 % parents in the portal."""
    from django_scopes import scopes_disabled

    rng = random.Random(13)
    personas = []
    with scopes_disabled():
        for bench in schools[:PERSONA_SCHOOLS]:
            personas += school_personas(rng, bench)
    rng.shuffle(personas)
    order = {"docent": 0, "zorgcoördinator": 1, "ouder": 2, "directeur": 3}
    personas.sort(key=lambda p: order[p["role"]])
    # Interleave roles so that any first N users hold the school day's mix.
    mix = ["docent"] * 15 + ["zorgcoördinator"] * 4 + ["ouder"] * 4 + ["directeur"] * 2
    by_role = {role: [p for p in personas if p["role"] == role] for role in order}
    ordered = []
    while any(by_role.values()):
        for role in mix:
            if by_role[role]:
                ordered.append(by_role[role].pop())
    return {"cookie_name": cookie_name, "personas": ordered}


def school_personas(rng: random.Random, bench) -> list[dict]:
    from bench import history
    from schools.models import GroupMembership, Role, RoleAssignment, StaffMember, Student, TeachingAssignment
    from schools.selectors import current_membership_q

    school_id = bench.school_id
    students = list(Student.objects.filter(school_id=school_id).values_list("pk", "last_name"))
    last_names = sorted({name.lower() for _, name in students})
    file_students = [pk for pk, _ in rng.sample(students, 40)]
    full = history.known_files(bench.group_id).full_student_id
    category = incident_category(school_id)
    personas = []
    # The data set gives the first four staff of a school its school-wide roles; then the teachers.
    teachers = list(
        StaffMember.objects.filter(school_id=school_id).select_related("user").order_by("pk")[4:24]
    )
    for staff in teachers:
        group_ids = list(
            TeachingAssignment.objects.filter(
                staff=staff, group__school_year__start__lte=_today(), group__school_year__end__gte=_today()
            ).values_list("group_id", flat=True)
        )
        if not group_ids:
            continue
        own = list(
            GroupMembership.objects.filter(current_membership_q(), group_id__in=group_ids).values_list(
                "student_id", "student__last_name"
            )
        )
        mine = [pk for pk, _ in own]
        grids, answers = signal_lists(rng, staff)
        incidents = [
            ["/gedrag/incident/nieuw/", incident_data(pk, category)]
            for pk in rng.sample(mine, min(20, len(mine)))
        ]
        personas.append(
            persona(
                staff.user,
                "docent",
                school_id,
                [
                    ("home (docent)", 3, ["/"]),
                    ("zoeken (docent)", 2, [f"/leerlingen/?q={n.lower()}" for _, n in own[:20]]),
                    ("groepspagina (docent)", 2, [f"/groepen/{g}/" for g in group_ids]),
                    ("groepenlijst (docent)", 1, ["/groepen/"]),
                    ("leerlingoverzicht (docent)", 2, [f"/leerlingen/{pk}/" for pk in mine[:30]]),
                    ("dossier (docent)", 3, [f"/dossier/leerling/{pk}/" for pk in mine[:30]]),
                    ("gedrag leerling (docent)", 1, [f"/gedrag/leerling/{pk}/" for pk in mine[:30]]),
                    ("signaleringslijst (docent)", 2, grids),
                    ("incidentformulier (docent)", 1, ["/gedrag/incident/nieuw/"]),
                    (BARE, 1, ["/_bench/kaal/"]),
                ],
                posts=[
                    # LB-4: one answer per click, saved as given (the grid's HTMX request); 200 expected.
                    ("signaleringslijst antwoord (docent)", 4, grids[:1], answers, 200),
                    # GP-2: a valid incident; the form redirects (302) to the behaviour page.
                    ("incident registreren (docent)", 1, ["/gedrag/incident/nieuw/"], incidents, 302),
                ],
            )
        )
    roles = dict(
        RoleAssignment.objects.filter(staff__school_id=school_id).values_list("role", "staff__user_id")
    )
    from schools.models import User

    care = User.objects.get(pk=roles[Role.CARE_COORDINATOR])
    files = [f"/dossier/leerling/{pk}/" for pk in [full, *file_students]]
    personas.append(
        persona(
            care,
            "zorgcoördinator",
            school_id,
            [
                ("home (zorgcoördinator)", 3, ["/"]),
                ("zoeken (zorgcoördinator)", 2, [f"/leerlingen/?q={n}" for n in rng.sample(last_names, 20)]),
                ("groepenlijst (zorgcoördinator)", 1, ["/groepen/"]),
                ("leerlingoverzicht (zorgcoördinator)", 2, [f"/leerlingen/{pk}/" for pk in file_students]),
                ("dossier (zorgcoördinator)", 4, files),
                ("gedrag leerling (zorgcoördinator)", 1, [f"/gedrag/leerling/{pk}/" for pk in file_students]),
            ],
        )
    )
    director = User.objects.get(pk=roles[Role.DIRECTOR])
    personas.append(
        persona(
            director,
            "directeur",
            school_id,
            [
                ("home (directeur)", 3, ["/"]),
                ("groepenlijst (directeur)", 1, ["/groepen/"]),
                ("dossier (directeur)", 1, files[:10]),
            ],
        )
    )
    personas += parent_personas(school_id, 4)
    return personas


def parent_personas(school_id: int, count: int) -> list[dict]:
    """Guardians with parental authority get a portal account (their children: the portal's pages)."""
    from portal.queries import active_authority_q, has_own_rights
    from schools.models import Guardian, GuardianRelation, User

    # AVG-1: from 16 a student exercises their own rights; the parents then see a 404.
    candidates = (
        GuardianRelation.objects.filter(active_authority_q(), student__school_id=school_id)
        .select_related("guardian", "student")
        .order_by("pk")[: count * 20]
    )
    relations, seen = [], set()
    for relation in candidates:  # one persona per guardian (brothers and sisters share one)
        if not has_own_rights(relation.student) and relation.guardian_id not in seen:
            seen.add(relation.guardian_id)
            relations.append(relation)
    relations = relations[:count]
    personas = []
    for n, relation in enumerate(relations):
        user = User.objects.create(
            email=f"ouder{n}@school{school_id}.bench", full_name=str(relation.guardian)
        )
        Guardian.objects.filter(pk=relation.guardian_id).update(user=user, email=user.email)
        children = [
            r.student_id
            for r in GuardianRelation.objects.filter(
                active_authority_q(), guardian_id=relation.guardian_id
            ).select_related("student")
            if not has_own_rights(r.student)
        ]
        personas.append(
            persona(
                user,
                "ouder",
                None,
                [
                    ("portaal home (ouder)", 2, ["/ouders/"]),
                    ("portaal kind (ouder)", 3, [f"/ouders/kinderen/{pk}/" for pk in children]),
                ],
            )
        )
    return personas


def signal_lists(rng: random.Random, staff) -> tuple[list[str], list[list]]:
    """The teacher's open signal lists (grid URLs) and answers to give: [save URL, form data]."""
    from reviews.models_cycle import Score, SignalResponse

    rows = list(
        SignalResponse.objects.filter(teacher=staff, round__closed_at__isnull=True)
        .select_related("round")
        .order_by("round_id", "student_id")
    )
    grids = sorted({f"/signaleringslijst/{row.round_id}/" for row in rows})
    answers = [
        [
            f"/signaleringslijst/{row.round_id}/antwoord/",
            {
                "student": str(row.student_id),
                "question": str(rng.randrange(len(row.round.questions))),
                "value": rng.choice(Score.values),
            },
        ]  # fmt: skip
        for row in rng.sample(rows, min(60, len(rows)))
    ]
    return grids, answers


def incident_category(school_id: int) -> str:
    from protocols.registry import BEHAVIOUR
    from protocols.services import protocol_value
    from schools.models import School

    return protocol_value(School.objects.get(pk=school_id), BEHAVIOUR, "incident_categories")[0]


def incident_data(student_id: int, category: str) -> dict:
    """GP-0 – GP-5: the six taps of a typical incident (where and when keep their defaults)."""
    return {
        "leerling": str(student_id),
        "categorie": category,
        "feiten": "Gooide een stoel om tijdens de les.",
        "actie": "Afkoelen op de gang, daarna gesproken.",
        "besproken": "on",
        "rol": "actor",
        "client_key": "",  # the load client makes it unique per request
    }


def persona(user, role: str, school_id: int | None, pages, posts=()) -> dict:
    """pages: (name, weight, URLs) to GET; posts: (name, weight, form URLs, [[URL, data], ...], expected
    status): the client GETs a form URL once for its CSRF token, then POSTs with it."""
    return {
        "role": role,
        "session": signed_in_session(user, school_id, portal=role == "ouder"),
        "pages": [{"name": name, "weight": weight, "urls": urls} for name, weight, urls in pages if urls]
        + [
            {"name": name, "weight": weight, "form": forms[0], "posts": data, "expect": expect}
            for name, weight, forms, data, expect in posts
            if forms and data
        ],
    }


def signed_in_session(user, school_id: int | None, *, portal: bool) -> str:
    """A session as the sign-in leaves it (staff: no second factor set up; parents: the portal)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from schools import middleware

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[middleware.SIGNED_IN_VIA_KEY] = (
        middleware.SIGNED_IN_VIA_PORTAL if portal else middleware.SIGNED_IN_VIA_STAFF
    )
    session[middleware.HAS_SECOND_FACTOR_KEY] = False
    session[middleware.SESSION_SEEN_KEY] = int(timezone.now().timestamp())
    if school_id:
        session[middleware.SESSION_SCHOOL_KEY] = school_id
    session.create()
    return session.session_key


def _today():
    from django.utils import timezone

    return timezone.localdate()
