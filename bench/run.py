"""`make bench`: build a board-sized data set on DATABASE_URL, then time the pages that must stay fast.

Each module in BENCHMARKS, and each module an app registers from its AppConfig.ready()
(`schools.benchmarks.register_benchmark("app.bench")`), has `run(schools, requests=N) -> list[Result]`, and may have
`build(schools) -> dict` to add its own data before ANALYZE (timed apart); results with the same name
(measured in several schools) are pooled. Prints a table and writes bench/results/latest.json.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BENCHMARKS = ["bench.students", "bench.dossier", "bench.imports"]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))  # per school measured


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    if connection.vendor != "postgresql":
        print("Let op: DATABASE_URL is geen PostgreSQL; cijfers zijn niet representatief.", file=sys.stderr)
    settings.ALLOWED_HOSTS = ["*"]
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    built = time.monotonic()
    schools = dataset.build()
    build_parts = {"bench.dataset": round(time.monotonic() - built, 1)}
    modules = [importlib.import_module(name) for name in benchmark_modules()]
    extra_counts: dict = {}
    for module in modules:
        if hasattr(module, "build"):
            part = time.monotonic()
            extra_counts[module.__name__] = module.build(schools)
            build_parts[module.__name__] = round(time.monotonic() - part, 1)
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics yet; autovacuum would add them within minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = time.monotonic() - built
    print(f"Dataset in {build_seconds:.1f} s {build_parts}: {dataset.counts()} {extra_counts}")

    pooled: dict = {}
    for module in modules:
        part = time.monotonic()
        for result in module.run(schools, requests=REQUESTS):
            if result.name in pooled:
                pooled[result.name].merge(result)
            else:
                pooled[result.name] = result
        build_parts[f"{module.__name__} (metingen)"] = round(time.monotonic() - part, 1)
    rows = [result.summary() for result in pooled.values()]
    _print_table(rows)
    out = ROOT / "bench" / "results" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "database": connection.vendor,
        "server_version": getattr(connection, "pg_version", None),
        "python": platform.python_version(),
        "dataset": {**dataset.counts(), **{k: v for c in extra_counts.values() for k, v in c.items()}},
        "dataset_seconds": round(build_seconds, 1),
        "seconds_per_part": build_parts,
        "total_seconds": round(time.monotonic() - started, 1),
        "results": rows,
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Geschreven: {out.relative_to(ROOT)} (totaal {report['total_seconds']} s)")


def benchmark_modules() -> list[str]:
    """bench's own modules, then those the installed apps registered (after django.setup())."""
    from schools.benchmarks import registered_benchmarks

    names = [*BENCHMARKS, *(name for name in registered_benchmarks() if name not in BENCHMARKS)]
    # BENCH_ONLY=behaviour,measures runs those modules only (on the same board data set), e.g. after a
    # change in one protocol app; a name matches a module or its app.
    only = [part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()]
    if only:
        names = [n for n in names if any(n == o or n.startswith(f"{o}.") for o in only)]
    return names


def _print_table(rows: list[dict]) -> None:
    header = ("meting", "n", "mediaan ms", "p95 ms", "queries/verzoek")
    table = [header] + [
        (
            r["name"],
            str(r["requests"]),
            f"{r['median_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['queries_per_request']:g}",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
