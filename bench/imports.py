"""Import of 10,000 students the production way: queued by the page, applied by `manage.py db_worker`.

Three runs, each into a fresh school of the board (so every run creates 10,000 students, their
groups and guardians), while the page polls the progress bar every 0.2 s as HTMX does every 1 s.
Timed: from pressing "Import uitvoeren" until the run reads "applied" (median of 3). The preview
(parsing the file, computing the diff) is not timed here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from schools.models import Board, ImportRun, ImportStatus, Role, RoleAssignment, School, StaffMember, User
from schools.services import imports as service

from .measure import Result

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = int(os.environ.get("BENCH_IMPORT_STUDENTS", "10000"))
RUNS = 3
DEADLINE_SECONDS = 900


def csv_bytes(count: int = STUDENTS) -> bytes:
    lines = [
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Klas;E-mailadres ouder/verzorger 1"
    ]
    for n in range(count):
        level, letter = 1 + n % 6, "ABCDEFGH"[n // 6 % 8]
        lines.append(
            f"{700000 + n};Kind{n};{'van' if n % 7 == 0 else ''};Achternaam{n % 997};"
            f"{1 + n % 28:02d}-{1 + n % 12:02d}-{2008 + n % 8};{level}{letter};ouder{n}@voorbeeld.nl"
        )
    return ("\n".join(lines) + "\n").encode()


def _school(n: int) -> tuple[School, User]:
    with scopes_disabled():
        board = Board.objects.get(bestuur_number="BENCH")
        school = School.objects.create(
            board=board, name=f"Importschool {n}", kind="vo", brin=f"{n:02d}IM", region="midden"
        )
        user = User.objects.create_user(email=f"fb{n}@import.bench", password="bench-wachtwoord-2026")
        staff = StaffMember.objects.create(
            school=school, user=user, first_name="Fien", last_name=f"Beheer{n}", email=user.email
        )
        RoleAssignment.objects.create(staff=staff, role=Role.FUNCTIONAL_ADMIN)
    return school, user


def _worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
    }
    args = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def run(schools, *, requests: int) -> list[Result]:
    result = Result(f"import {STUDENTS} leerlingen via worker, voortgang gepeild")
    data = csv_bytes()
    worker = _worker()  # already running, as in production
    try:
        for n in range(RUNS):
            school, user = _school(n)
            with scopes_disabled():
                run_ = service.start_import(actor=user, school=school, data=data, filename="leerlingen.csv")
                _, columns = service.read_columns(run_)
                run_ = service.confirm_columns(actor=user, run=run_, columns=columns, save_mapping=False)
            assert run_.status == ImportStatus.PREVIEWED, run_.problems[:3]
            client = Client()
            client.force_login(user)
            polls = []
            started = time.perf_counter()
            assert client.post(f"/import/{run_.pk}/verwerken/").status_code == 302
            while time.perf_counter() - started < DEADLINE_SECONDS:
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(f"/import/{run_.pk}/voortgang/", headers={"HX-Request": "true"})
                assert response.status_code == 200
                polls.append(len(ctx.captured_queries))
                with scopes_disabled():
                    status = ImportRun.objects.values_list("status", flat=True).get(pk=run_.pk)
                if status in (ImportStatus.APPLIED, ImportStatus.FAILED):
                    break
                time.sleep(0.2)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == ImportStatus.APPLIED, f"import niet klaar: {status}"
            result.timings_ms.append(elapsed)
            result.queries.append(max(polls))
            print(f"  import {n + 1}/{RUNS}: {elapsed / 1000:.1f} s, {len(polls)} keer voortgang gepeild")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return [result]
