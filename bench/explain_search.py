"""EXPLAIN (ANALYZE) of the care coordinator's student search on a built data set (docs/scaling.md).

The search asks per word whether it names one of the student's groups (schools.selectors._group_named);
this prints, per search of bench/students.py, PostgreSQL's plan time and execution time (median of
BENCH_EXPLAIN_RUNS) and whether the plan still scans the whole group table. Read-only: every
transaction is read-only, so it may run on the kept template itself.

    BENCH_DATABASE=postgres://postgres@127.0.0.1:55432/leerlingzorg_scale5 \\
        nice .venv/bin/python bench/explain_search.py [--plan]
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if os.environ.get("BENCH_DATABASE"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE"]
os.environ["PGOPTIONS"] = "-c default_transaction_read_only=on"

RUNS = int(os.environ.get("BENCH_EXPLAIN_RUNS", "15"))


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from schools.access import compute_access
    from schools.models import School, User
    from schools.selectors import search_queryset

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM bench_state")
        saved = cursor.fetchone()[0]
    saved = json.loads(saved) if isinstance(saved, str) else saved
    show_plan = "--plan" in sys.argv
    with scopes_disabled():
        for bench in saved["schools"][:20:5]:  # the four schools bench/students.py measures
            access = compute_access(
                User.objects.get(pk=bench["care_coordinator_user_id"]),
                School.objects.get(pk=bench["school_id"]),
            )
            searches = {
                "achternaam": bench["common_last_name"].lower(),
                "groep": bench["group_name"].split()[-1].lower(),
                "volledige naam": bench["full_name"].lower(),
            }
            for label, query in searches.items():
                queryset = search_queryset(access, query.split()).order_by("last_name", "first_name", "pk")[
                    :20
                ]
                plans = [queryset.explain(analyze=True) for _ in range(RUNS)]
                planning = statistics.median(_ms(p, "Planning Time") for p in plans)
                execution = statistics.median(_ms(p, "Execution Time") for p in plans)
                seq = "Seq Scan on schools_group" in plans[-1]
                print(
                    f"school {bench['school_id']:>4} {label:<15} {query!r:<28} "
                    f"plan {planning:6.2f} ms  execution {execution:6.2f} ms  "
                    f"{'seq scan of schools_group' if seq else 'no seq scan of schools_group'}"
                )
                if show_plan:
                    print(plans[-1])


def _ms(plan: str, label: str) -> float:
    return float(re.search(rf"{label}: ([0-9.]+) ms", plan).group(1))


if __name__ == "__main__":
    main()
