"""`make bench-load` (issue #13 §2-3): the application under load, as it runs in production.

On the throw-away PostgreSQL of scripts/with-postgres.sh: the board data set (bench.dataset) with
file history (BENCH_DOSSIER_ENTRIES, default 200,000 here), then gunicorn (BENCH_WORKERS sync workers,
settings `config.settings.bench`: production's connections and templates, plus the bare view and a
query counter per response) and `manage.py db_worker`, and locust headless on loopback:

1. a school day: BENCH_USERS (50) signed-in users (teachers, care coordinators, directors, parents in
   the portal) clicking their weighted pages with BENCH_THINK (3-10 s) think time for
   BENCH_LOAD_SECONDS (60);
2. saturation: per page (and the bare view) a closed loop of BENCH_SATURATION_USERS (8) users without
   think time for BENCH_SATURATION_SECONDS (10): requests per second, and its ratio to the bare view.

Writes bench/results/load-<label>.json and .md (BENCH_LABEL, default "latest") and prints the table.
DB_CONNECTIONS (persistent | pool | none) picks how the workers keep their connections.
"""

from __future__ import annotations

import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ.setdefault("BENCH_DOSSIER_ENTRIES", "200000")

LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
THINK = os.environ.get("BENCH_THINK", "3,10")
SATURATION_SECONDS = int(os.environ.get("BENCH_SATURATION_SECONDS", "10"))
SATURATION_USERS = int(os.environ.get("BENCH_SATURATION_USERS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
LABEL = os.environ.get("BENCH_LABEL", "latest")
PERSONA_SCHOOLS = 6  # the schools whose staff and parents click (of the twenty)
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench-load"
BARE = "kale pagina (vloer)"
# Issue #13's budgets: no errors; p95 under 300 ms at 50 users with think time; every key page (home per
# role, search, group, student overview, file page, signal grid, incident registration) at least 0.25 of
# the bare view's saturation throughput.
P95_BUDGET_MS = 300
RATIO_BUDGET = 0.25
KEY_PAGES = (
    "home (",
    "zoeken (",
    "groepspagina (",
    "leerlingoverzicht (",
    "dossier (",
    "signaleringslijst",
    "incident",
)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset, history

    if connection.vendor != "postgresql":
        print("Let op: DATABASE_URL is geen PostgreSQL; draai via scripts/with-postgres.sh.", file=sys.stderr)
    WORK.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    schools = dataset.build()
    history.build(schools)
    rounds = open_signal_rounds(schools[:PERSONA_SCHOOLS])
    # The lists went out days before the school day measured: deliver their messages now, not during it.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan = make_plan(schools, settings.SESSION_COOKIE_NAME)
    plan_file = WORK / "plan.json"
    plan_file.write_text(json.dumps(plan))
    built = time.monotonic() - started
    print(
        f"Dataset en sessies in {built:.0f} s: {dataset.counts()}; {rounds} signaleringsrondes; "
        f"{len(plan['personas'])} personas"
    )
    connection.close()

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ops.bench_wsgi",
            "--preload",
            "--timeout",
            "120",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(WORK / "worker.log").open("w"),  # one line per task
    )
    memory = MemorySampler([server.pid, worker.pid])
    try:
        wait_until_up(port, plan)
        memory.start()
        host = f"http://127.0.0.1:{port}"
        day = locust(host, plan_file, users=USERS, seconds=LOAD_SECONDS, think=THINK, name="schooldag")
        pages = sorted({page["name"] for persona in plan["personas"] for page in persona["pages"]})
        saturation = {}
        for page in [BARE, *(p for p in pages if p != BARE)]:
            samples = locust(
                host, plan_file, users=SATURATION_USERS, seconds=SATURATION_SECONDS, think="0,0", only=page
            )
            saturation[page] = summarise(samples, SATURATION_SECONDS)
    finally:
        memory.stop()
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    report = make_report(day, saturation, memory, built, time.monotonic() - started)
    (OUT / f"load-{LABEL}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    markdown = to_markdown(report)
    (OUT / f"load-{LABEL}.md").write_text(markdown)
    print(markdown)
    print(f"Geschreven: bench/results/load-{LABEL}.json en .md")


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


# --- running -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, plan: dict, timeout: float = 240) -> None:
    session = plan["personas"][0]["session"]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_bench/kaal/", headers={"Cookie": f"{plan['cookie_name']}={session}"}
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def locust(
    host: str, plan_file: Path, *, users: int, seconds: int, think: str, only: str = "", name: str = ""
) -> list:
    out = WORK / f"samples-{name or 'verzadiging'}.json"
    out.unlink(missing_ok=True)
    log = WORK / f"locust-{(only or name).replace(' ', '-')}.log"
    env = {
        **os.environ,
        "BENCH_PLAN": str(plan_file),
        "BENCH_OUT": str(out),
        "BENCH_THINK": think,
        "BENCH_ONLY": only,
    }
    print(f"locust: {only or name}, {users} gebruikers, {seconds} s, denktijd {think} s", flush=True)
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(users if think == "0,0" else max(users // 5, 1)),
            "-t",
            f"{seconds}s",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),  # locust's own summary and errors: var/bench-load/locust-*.log
    )
    return json.loads(out.read_text())


class MemorySampler:
    """Peak resident memory of gunicorn (master and workers) and the task worker, sampled twice a second."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak_total = 0
        self.peak_process = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            sizes = []
            for pid in self.pids:
                try:
                    parent = psutil.Process(pid)
                    for process in [parent, *parent.children(recursive=True)]:
                        sizes.append(process.memory_info().rss)
                except psutil.Error:
                    continue
            if sizes:
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_process = max(self.peak_process, max(sizes))
            self._stop.wait(0.5)


# --- figures -------------------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def summarise(samples: list, seconds: float) -> dict:
    """One page's samples (or all of them): [page, client ms, ok, queries, server ms]."""
    times = sorted(s[1] for s in samples)
    server = sorted(s[4] for s in samples)
    queries = [s[3] for s in samples if s[3] >= 0]
    return {
        "requests": len(samples),
        "errors": sum(1 for s in samples if not s[2]),
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "server_median_ms": round(statistics.median(server), 1) if server else None,
        "per_second": round(len(samples) / seconds, 2),
        "queries_mean": round(statistics.mean(queries), 1) if queries else None,
        "queries_max": max(queries) if queries else None,
    }


def make_report(day: list, saturation: dict, memory: MemorySampler, built: float, total: float) -> dict:
    from django.conf import settings
    from django.db import connection

    pages = sorted({s[0] for s in day} | set(saturation))
    bare = saturation.get(BARE, {}).get("per_second") or 0
    rows = []
    for page in pages:
        row = {"page": page, **summarise([s for s in day if s[0] == page], LOAD_SECONDS)}
        sat = saturation.get(page, {})
        row["saturation_per_second"] = sat.get("per_second")
        row["saturation_median_ms"] = sat.get("median_ms")
        row["saturation_queries"] = sat.get("queries_mean")
        row["saturation_errors"] = sat.get("errors")
        row["ratio_to_bare"] = round(sat["per_second"] / bare, 2) if bare and sat.get("per_second") else None
        row["key_page"] = page.startswith(KEY_PAGES)
        row["misses"] = misses(row)
        rows.append(row)
    return {
        "label": LABEL,
        "database": connection.vendor,
        "db_connections": settings.DB_CONNECTIONS,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "gunicorn_workers": WORKERS,
        "users": USERS,
        "think_seconds": THINK,
        "load_seconds": LOAD_SECONDS,
        "saturation_users": SATURATION_USERS,
        "saturation_seconds": SATURATION_SECONDS,
        "dossier_entries": int(os.environ["BENCH_DOSSIER_ENTRIES"]),
        "school_day": summarise(day, LOAD_SECONDS),
        "peak_memory_mb": round(memory.peak_total / 2**20),
        "peak_process_memory_mb": round(memory.peak_process / 2**20),
        "dataset_seconds": round(built),
        "total_seconds": round(total),
        "pages": rows,
    }


def misses(row: dict) -> list[str]:
    """The budgets this page misses (empty: all met)."""
    found = []
    if row["errors"] or row.get("saturation_errors"):
        found.append("fouten")
    if row["requests"] and row["p95_ms"] >= P95_BUDGET_MS:
        found.append(f"p95 ≥ {P95_BUDGET_MS} ms")
    if row["key_page"] and (row["ratio_to_bare"] or 0) < RATIO_BUDGET:
        found.append(f"verhouding < {RATIO_BUDGET}")
    return found


def to_markdown(report: dict) -> str:
    day = report["school_day"]
    lines = [
        f"# Belasting: {report['label']}",
        "",
        f"{report['users']} gebruikers, denktijd {report['think_seconds']} s, {report['load_seconds']} s; "
        f"gunicorn {report['gunicorn_workers']} workers, {report['cpus']} cores, verbindingen "
        f"`{report['db_connections']}`, {report['dossier_entries']:,} dossierregels.",
        f"Schooldag: {day['requests']} verzoeken, {day['per_second']}/s, fouten {day['errors']}, "
        f"mediaan {day['median_ms']} ms, p95 {day['p95_ms']} ms, p99 {day['p99_ms']} ms. "
        f"Piekgeheugen {report['peak_memory_mb']} MB (grootste proces {report['peak_process_memory_mb']} MB).",
        f"Verzadiging: per pagina {report['saturation_users']} gebruikers zonder denktijd, "
        f"{report['saturation_seconds']} s; verhouding = verzoeken/s van de pagina / die van de kale pagina.",
        "",
        f"Budgetten (issue #13): geen fouten, p95 < {P95_BUDGET_MS} ms, sleutelpagina's (*) verhouding ≥ "
        f"{RATIO_BUDGET}. Fouten: schooldag + verzadiging.",
        "",
        "| pagina | n | fouten | mediaan ms | p95 ms | p99 ms | server ms | queries | verzadiging /s "
        "| verhouding | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in report["pages"]:
        errors = (r["errors"] or 0) + (r.get("saturation_errors") or 0)
        lines.append(
            f"| {r['page']}{' *' if r.get('key_page') else ''} | {r['requests']} | {errors} | {r['median_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['server_median_ms']} | {r['queries_mean']} | "
            f"{r['saturation_per_second']} | {r['ratio_to_bare']} | {', '.join(r.get('misses', [])) or 'ok'} |"
        )
    missed = [r["page"] for r in report["pages"] if r.get("misses")]
    lines += ["", f"Buiten budget: {', '.join(missed)}." if missed else "Alle pagina's binnen budget."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
