"""Five years of file history on the board data set: >= 1,000,000 `DossierEntry` rows, loaded fast.

SCALE=N (bench/dataset.py): N x 1,000,000 entries (5,000,000 at SCALE=5); BENCH_DOSSIER_ENTRIES
overrides. PostgreSQL: one `COPY ... FROM STDIN` per table through psycopg, with explicit ids (so the
involved students can be linked without reading the entries back) and the id sequence moved on
afterwards; the rows are made while they stream (memory stays flat at any size), progress on stderr.
Other databases (a quick try-out on SQLite): bulk_create in large batches.

One student per benchmark gets exactly FULL_FILE entries, another exactly SMALL_FILE, so the
timeline and the export are measured on a known size.
"""

from __future__ import annotations

import datetime
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from dossier.models import DossierEntry, EntryKind, Visibility
from schools.models import GroupMembership, StaffMember, Student

from .dataset import SCALE

ENTRIES = int(os.environ.get("BENCH_DOSSIER_ENTRIES") or max(SCALE, 1) * 1_000_000)
YEARS = 5
FULL_FILE = 500
SMALL_FILE = 5
INVOLVED_SHARE = 0.08  # incidents and talks with other children in them

# Kinds as a real file has them: mostly notes, talks and attendance; few letters and referrals.
KIND_WEIGHTS = {
    EntryKind.LOG_ENTRY: 40,
    EntryKind.TALK: 12,
    EntryKind.ATTENDANCE: 12,
    EntryKind.SIGNAL: 8,
    EntryKind.INCIDENT: 6,
    EntryKind.MEASURE: 4,
    EntryKind.AGREEMENT: 4,
    EntryKind.EVALUATION: 4,
    EntryKind.MESSAGE: 4,
    EntryKind.LETTER: 2,
    EntryKind.DOCUMENT: 2,
    EntryKind.REFERRAL: 1,
    EntryKind.PARENT_STATEMENT: 1,
}
VISIBILITY_WEIGHTS = {Visibility.TEAM: 70, Visibility.CARE_TEAM: 25, Visibility.DIRECTOR: 5}
BODIES = [
    "Gesprek gehad over de planning van het huiswerk; afgesproken dat er een weekplanner komt.",
    "Was vandaag onrustig in de les en kon zich slecht concentreren. Na de pauze ging het beter.",
    "Telefonisch contact met moeder: thuis gaat het goed, wel zorgen over de nachtrust.",
    "Toets rekenen onvoldoende (4,8). Extra oefenstof meegegeven; volgende week evalueren.",
    "Te laat gekomen zonder bericht. Mentor heeft ouders gebeld; bus had vertraging.",
    "Werkt goed samen in het groepje en helpt anderen. Compliment gegeven.",
    "Afspraak met de intern begeleider over een handelingsplan voor begrijpend lezen.",
    "Vader belde: het kind is ziek en blijft de rest van de week thuis.",
]
INVOLVED_BODIES = [
    "Ruzie op het plein met {name}. Beide kinderen gesproken; het is uitgepraat.",
    "Samen met {name} een werkstuk gemaakt; ging goed, ouders geïnformeerd.",
    "{name} werd uitgescholden; gesprek gevoerd en excuses aangeboden.",
]


@dataclass(frozen=True)
class Files:
    """The two known-size files of one benchmark school."""

    full_student_id: int
    small_student_id: int


def known_files(group_id: int) -> Files:
    """The first two current students (by pk) of the benchmark group: 500 and 5 entries."""
    with scopes_disabled():
        ids = list(
            GroupMembership.objects.filter(group_id=group_id, end__isnull=True)
            .order_by("student_id")
            .values_list("student_id", flat=True)[:2]
        )
    return Files(full_student_id=ids[0], small_student_id=ids[1])


def build(schools, seed: int = 44) -> dict[str, int]:
    """Spread ENTRIES entries over all students of all schools; returns the row counts written."""
    rng = random.Random(seed)
    fixed: dict[int, int] = {}
    for bench in schools:
        files = known_files(bench.group_id)
        fixed[files.full_student_id] = FULL_FILE
        fixed[files.small_student_id] = SMALL_FILE
    with scopes_disabled():
        students = list(
            Student.objects.order_by("pk").values_list("pk", "school_id", "first_name", "last_name")
        )
        staff = list(
            StaffMember.objects.order_by("pk").values_list("pk", "school_id", "first_name", "last_name")
        )
    counts = _spread(rng, [pk for pk, *_ in students], fixed)
    by_school: dict[int, list] = {}
    for pk, school_id, first, last in staff:
        by_school.setdefault(school_id, []).append((pk, f"{first} {last}"))
    classmates: dict[int, list] = {}
    for pk, school_id, first, last in students:
        classmates.setdefault(school_id, []).append((pk, f"{first} {last}"))

    with scopes_disabled(), transaction.atomic():
        first_id = (DossierEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        started = time.monotonic()
        involved: list[tuple[int, int]] = []
        entries = _progress(_rows(rng, students, counts, by_school, classmates, first_id, involved), started)
        if connection.vendor == "postgresql":
            written = _copy(entries, involved)
        else:
            written = _bulk(entries, involved)
        loaded = time.monotonic()
    print(
        f"Dossierhistorie: {written} regels gemaakt en geladen in {loaded - started:.1f} s, "
        f"vastgelegd (commit) in {time.monotonic() - loaded:.1f} s"
    )
    return {"DossierEntry": written, "DossierEntry.involved": len(involved)}


def _progress(rows, started: float, every: int = 500_000):
    for n, row in enumerate(rows, 1):
        if n % every == 0:
            print(f"  dossierregels {n:,} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
        yield row


def _spread(rng: random.Random, student_ids: list[int], fixed: dict[int, int]) -> dict[int, int]:
    """A skewed spread (a few files are long, most short) adding up to at least ENTRIES."""
    others = [pk for pk in student_ids if pk not in fixed]
    weights = [min(rng.paretovariate(2.5), 8.0) for _ in others]
    target = max(ENTRIES - sum(fixed.values()), 0)
    total = sum(weights)
    counts = {pk: int(w / total * target) for pk, w in zip(others, weights, strict=True)}
    short = target - sum(counts.values())
    for pk in others[:short]:
        counts[pk] += 1
    return {**counts, **fixed}


def _rows(rng, students, counts, by_school, classmates, first_id, involved):
    """Yields the entries one by one; the involved links go into `involved` as they are drawn."""
    now = timezone.now().astimezone(datetime.UTC)
    span = YEARS * 365 * 86400
    # Plain strings up front: a lazy label translated a million times costs half a minute.
    kinds, kind_w = [(str(k), str(k.label).capitalize()) for k in KIND_WEIGHTS], list(KIND_WEIGHTS.values())
    levels, level_w = [str(v) for v in VISIBILITY_WEIGHTS], list(VISIBILITY_WEIGHTS.values())
    next_id = first_id
    for student_id, school_id, _first, _last in students:
        n = counts.get(student_id, 0)
        if not n:
            continue
        authors = by_school[school_id]
        mates = classmates[school_id]
        for (kind, label), level in zip(
            rng.choices(kinds, kind_w, k=n), rng.choices(levels, level_w, k=n), strict=True
        ):
            author_id, author_label = authors[rng.randrange(len(authors))]
            occurred = now - datetime.timedelta(seconds=rng.randrange(span))
            recorded = occurred + datetime.timedelta(minutes=rng.randrange(5, 600))
            body = BODIES[rng.randrange(len(BODIES))]
            if rng.random() < INVOLVED_SHARE:
                others = rng.sample(mates, min(rng.choice((1, 1, 2)), len(mates)))
                others = [o for o in others if o[0] != student_id]
                if others:
                    template = INVOLVED_BODIES[rng.randrange(len(INVOLVED_BODIES))]
                    body = template.format(name=" en ".join(name for _, name in others))
                    involved += [(next_id, other_id) for other_id, _ in others]
            yield (
                next_id,
                school_id,
                student_id,
                kind,
                f"{label} {occurred.day:02d}-{occurred.month:02d}-{occurred.year}",
                body,
                author_id,
                author_label,
                occurred,
                min(recorded, now),
                level,
                rng.random() < 0.2,  # parent_visible
                rng.random() < 0.05,  # is_health
            )
            next_id += 1


ENTRY_COLUMNS = (
    "id, school_id, student_id, kind, title, body, author_id, author_label, occurred_at, recorded_at, "
    "visibility, parent_visible, is_health"
)
# Columns COPY must fill itself (Django's defaults live in Python, not in the table): no source, no
# text-check warnings shown.
COPY_TAIL = {"source_id": "", "text_warnings": "[]"}


def _copy(entries, involved) -> int:
    """COPY with the tables' foreign keys dropped and put back after: re-adding one validates all rows
    in one join, where checking them row by row at COMMIT costs about a minute per million entries."""
    connection.ensure_connection()
    written = 0
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid IN"
            " ('dossier_dossierentry'::regclass, 'dossier_dossierentry_involved'::regclass)"
        )
        foreign_keys = cursor.fetchall()
        # An ALTER TABLE waits for no deferred check: run the pending ones (an enclosing transaction's,
        # as in the tests) now, and defer again once the keys are back.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        columns = ", ".join([ENTRY_COLUMNS, *COPY_TAIL])
        tail = tuple(COPY_TAIL.values())
        with cursor.copy(f"COPY dossier_dossierentry ({columns}) FROM STDIN") as copy:
            for row in entries:
                copy.write_row((*row, *tail))
                written += 1
        with cursor.copy(
            "COPY dossier_dossierentry_involved (dossierentry_id, student_id) FROM STDIN"
        ) as copy:
            for row in involved:
                copy.write_row(row)
        # Explicit ids leave the identity sequences behind; later inserts (the benchmarks) need them on.
        for table in ("dossier_dossierentry", "dossier_dossierentry_involved"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written


def _bulk(entries, involved) -> int:
    attnames = [c.strip() for c in ENTRY_COLUMNS.split(",")]  # school_id etc. are attnames
    written = 0
    while batch := list(itertools.islice(entries, 5000)):
        DossierEntry.objects.bulk_create(
            DossierEntry(**dict(zip(attnames, row, strict=True))) for row in batch
        )
        written += len(batch)
    through = DossierEntry.involved.through
    through.objects.bulk_create(
        (through(dossierentry_id=e, student_id=s) for e, s in involved), batch_size=5000
    )
    return written
