"""`make bench`: build a board-sized data set on DATABASE_URL, then time the pages that must stay fast.

Each module in BENCHMARKS, and each module an app registers from its AppConfig.ready()
(`schools.benchmarks.register_benchmark("app.bench")`), has `run(schools, requests=N) -> list[Result]`, and may have
`build(schools) -> dict` to add its own data before ANALYZE (timed apart); results with the same name
(measured in several schools) are pooled. Prints a table and writes bench/results/latest.json.

Growth (issue #13 §4): `SCALE=N` builds N x 20,000 students and N x 1,000,000 file entries
(bench/dataset.py; without SCALE today's 12,000-student set); the benchmarks measure the same first
20 schools at every scale, so a page sees the same per-school size and must show the same queries and
(within noise) the same times. A run with SCALE also writes bench/results/latest-scale<N>.json and
prints the comparison with the other scales' files found there.

Build once, measure often (a quiet window only measures):
- `BENCH_DATABASE=postgres://…/leerlingzorg` uses that server instead of DATABASE_URL (a kept
  cluster: `bench/cluster.sh start` prints one);
- `BENCH_REUSE=1` keeps the built data set as a template database `<name>_scale<N>` (`<name>_board`
  without SCALE) and measures on a fresh copy of it (`CREATE DATABASE … TEMPLATE`, seconds instead of
  minutes): built when missing, reused when there; `BENCH_BUILD_ONLY=1` builds the template only.
  The state a module keeps between build() and run() (a dict `_STATE`, attributes on `build`) is
  saved in the template and put back.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BENCHMARKS = ["bench.students", "bench.dossier", "bench.imports"]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))  # per school measured


def main() -> None:
    import django

    if os.environ.get("BENCH_DATABASE"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE"]
    keep = os.environ.get("BENCH_REUSE") == "1" or os.environ.get("BENCH_BUILD_ONLY") == "1"
    target = os.environ.get("DATABASE_URL", "")
    template = _with_name(target, f"{_name(target)}_{scale_tag()}") if keep else None
    must_build = not keep or not _database_exists(template)
    if keep and must_build:
        _create_database(template)
        os.environ["DATABASE_URL"] = template
    elif keep:
        print(f"Dataset hergebruikt: {_name(template)} (BENCH_REUSE=1)", file=sys.stderr)
        _clone(template, target)
    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Let op: DATABASE_URL is geen PostgreSQL; cijfers zijn niet representatief.", file=sys.stderr)
    settings.ALLOWED_HOSTS = ["*"]
    started = time.monotonic()
    modules = [importlib.import_module(name) for name in benchmark_modules()]
    if must_build:
        state = _build(modules)
        if keep:
            _save_state(state, modules)
            if os.environ.get("BENCH_BUILD_ONLY") == "1":
                print(f"Gebouwd: {_name(template)} in {state['dataset_seconds']} s (BENCH_BUILD_ONLY=1)")
                return
            connection.close()
            _clone(template, target)
            connection.settings_dict["NAME"] = _name(target)
            os.environ["DATABASE_URL"] = target  # the import benchmark's worker reads it
    else:
        state = _load_state(modules)
    _measure(modules, state, started)


def _build(modules) -> dict:
    """The board data set and each module's own data, then the planner's statistics."""
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    call_command("migrate", verbosity=0, interactive=False)
    built = time.monotonic()
    schools = dataset.build()
    build_parts = {"bench.dataset": round(time.monotonic() - built, 1)}
    extra_counts: dict = {}
    for module in modules:
        if hasattr(module, "build"):
            part = time.monotonic()
            extra_counts[module.__name__] = module.build(schools)
            build_parts[module.__name__] = round(time.monotonic() - part, 1)
            print(f"  {module.__name__}: {build_parts[module.__name__]} s", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        # Fresh bulk loads have no planner statistics and no visibility map yet; autovacuum would add
        # them within minutes, in the middle of the measurements.
        part = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        build_parts["VACUUM ANALYZE"] = round(time.monotonic() - part, 1)
    build_seconds = time.monotonic() - built
    counts = {**dataset.counts(), **{k: v for c in extra_counts.values() for k, v in c.items()}}
    print(f"Dataset in {build_seconds:.1f} s {build_parts}: {counts}")
    return {
        "schools": schools,
        "scale": dataset.SCALE,
        "dataset": counts,
        "dataset_seconds": round(build_seconds, 1),
        "build_seconds_per_part": build_parts,
    }


def _measure(modules, state: dict, started: float) -> None:
    from django.db import connection

    from bench import dataset

    schools = dataset.measured(state["schools"])
    build_parts = dict(state["build_seconds_per_part"])
    pooled: dict = {}
    cpu: dict = {}
    load_before = os.getloadavg()
    for module in modules:
        part, cpu_before = time.monotonic(), _cpu_seconds()
        requests = 0
        for result in module.run(schools, requests=REQUESTS):
            requests += len(result.timings_ms)
            if result.name in pooled:
                pooled[result.name].merge(result)
            else:
                pooled[result.name] = result
        build_parts[f"{module.__name__} (metingen)"] = round(time.monotonic() - part, 1)
        used = {k: round(v - cpu_before[k], 2) for k, v in _cpu_seconds().items()}
        cpu[module.__name__] = {**used, "timed": requests}
    # The usual count besides the mean: a session refreshed once a minute adds one query to the request
    # that crosses the minute, so the mean of a slower run can be 13.1 where every page is 13.
    rows = [
        {**result.summary(), "queries_usual": statistics.mode(result.queries)} for result in pooled.values()
    ]
    _print_table(rows)
    for name, used in cpu.items():
        print(f"  CPU {name}: app {used['app']} s, PostgreSQL {used['database']} s, {used['timed']} getimed")
    out = ROOT / "bench" / "results" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "database": connection.vendor,
        "server_version": getattr(connection, "pg_version", None),
        "python": platform.python_version(),
        "scale": state["scale"],
        "load_average_before": list(load_before),
        "load_average": list(os.getloadavg()),
        "cpu_seconds": cpu,
        "dataset": state["dataset"],
        "dataset_seconds": state["dataset_seconds"],
        "dataset_reused": "reused" in state,
        "seconds_per_part": build_parts,
        "total_seconds": round(time.monotonic() - started, 1),
        "results": rows,
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    out.write_text(text)
    written = [out]
    if state["scale"]:
        scaled = out.with_name(f"latest-scale{state['scale']}.json")
        scaled.write_text(text)
        written.append(scaled)
    print(
        f"Geschreven: {', '.join(str(p.relative_to(ROOT)) for p in written)} (totaal {report['total_seconds']} s)"
    )
    if state["scale"]:
        from bench.compare import compare

        compare(out.parent)


def _cpu_seconds() -> dict[str, float]:
    """CPU used so far by this process (with its finished children: the import worker) and by the
    PostgreSQL server when it runs on this machine: this process's backend (the test client keeps one
    connection) plus the finished backends its postmaster reaped. Where the time goes: Python or SQL."""
    from django.db import connection

    mine = os.times()
    app = mine.user + mine.system + mine.children_user + mine.children_system
    database = 0.0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        own = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        postmaster = Path(f"/proc/{own[1]}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(f) for f in own[11:13]) + sum(
            int(f) for f in postmaster[13:15]
        )  # utime, stime; cutime, cstime
        database = ticks / os.sysconf("SC_CLK_TCK")
    except Exception:  # another machine, or not PostgreSQL
        pass
    return {"app": round(app, 2), "database": round(database, 2)}


def scale_tag() -> str:
    scale = int(os.environ.get("SCALE") or 0)  # read as bench/dataset.py does, before django.setup()
    entries = os.environ.get("BENCH_DOSSIER_ENTRIES")
    return (f"scale{scale}" if scale else "board") + (f"_e{entries}" if entries else "")


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str):
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    return psycopg.connect(_with_name(url, "postgres"), autocommit=True)


def _database_exists(url: str) -> bool:
    with _admin(url) as admin:
        return (
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_name(url)]).fetchone() is not None
        )


def _create_database(url: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{_name(url)}"')


def _clone(template: str, target: str) -> None:
    """A fresh copy of the built data set: what one run writes never reaches the next."""
    part = time.monotonic()
    with _admin(target) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{_name(target)}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{_name(target)}" TEMPLATE "{_name(template)}" STRATEGY FILE_COPY')
    print(f"Kopie {_name(template)} -> {_name(target)} in {time.monotonic() - part:.1f} s", file=sys.stderr)


def _save_state(state: dict, modules) -> None:
    from django.db import connection

    saved = {
        **state,
        "schools": [dataclasses.asdict(s) for s in state["schools"]],
        "modules": {
            module.__name__: {
                "_STATE": dict(getattr(module, "_STATE", {}) or {}),
                "build": dict(vars(module.build)) if hasattr(module, "build") else {},
            }
            for module in modules
        },
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_state (data jsonb NOT NULL)")
        cursor.execute("INSERT INTO bench_state (data) VALUES (%s)", [json.dumps(saved)])
    connection.close()  # a template database takes no connections


def _load_state(modules) -> dict:
    from django.db import connection

    from bench.dataset import BenchSchool

    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM bench_state")
        saved = cursor.fetchone()[0]
    saved = json.loads(saved) if isinstance(saved, str) else saved
    for module in modules:
        kept = saved["modules"].get(module.__name__, {})
        if kept.get("_STATE"):
            module._STATE.update(kept["_STATE"])
        for key, value in kept.get("build", {}).items():
            setattr(module.build, key, value)
    return {**saved, "schools": [BenchSchool(**s) for s in saved["schools"]], "reused": True}


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
