"""`make bench-load` (issue #13 §2-3): the application under load, as it runs in production.

On the throw-away PostgreSQL of scripts/with-postgres.sh: the board data set (bench.dataset) with
file history (BENCH_DOSSIER_ENTRIES, default 200,000 here), then gunicorn (BENCH_WORKERS sync workers,
settings `config.settings.bench`: production's connections and templates, plus the bare view and a
query counter per response) and `manage.py db_worker`, and locust headless on loopback:

1. a school day: BENCH_USERS (50) signed-in users (teachers, care coordinators, directors, parents in
   the portal) clicking their weighted pages with BENCH_THINK (3-10 s) think time for
   BENCH_LOAD_SECONDS (60);
2. saturation: per page (and the bare view) a closed loop of BENCH_SATURATION_USERS (8) users without
   think time for BENCH_SATURATION_SECONDS (10): requests per second, and its ratio to the bare view
   (BENCH_SATURATION_PAGES limits it to some pages).

The school day's mix: home pages per role, student search, group list and page, the student overview,
the file page, the behaviour student page, teachers filling in their signal lists in the last week
before a review round (the grid, and one answer per click POSTed to the grid's save endpoint with
the CSRF token), incident registration (the form, and a valid incident POSTed), the parents' portal.
The signal rounds are opened here (open_signal_rounds) on top of bench.dataset and bench.history.
A POST answered with another status than the one expected counts as an error. Budgets (issue #13)
are checked per page in the table's last column.

BENCH_START_AT=HH:MM / BENCH_WAIT_FOR=<file>: build first, measure from then.
Smoke run: BENCH_LOAD_SECONDS=15 BENCH_SATURATION_SECONDS=3 BENCH_USERS=10 BENCH_THINK=1,3
BENCH_DOSSIER_ENTRIES=20000.

Writes bench/results/load-<label>.json and .md (BENCH_LABEL, default "latest") and prints the table.
DB_CONNECTIONS (persistent | pool | none) picks how the workers keep their connections.
"""

from __future__ import annotations

import json
import os
import platform
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
from bench.load_plan import BARE, PERSONA_SCHOOLS, make_plan, open_signal_rounds  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
os.environ.setdefault("BENCH_DOSSIER_ENTRIES", "200000")

LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
THINK = os.environ.get("BENCH_THINK", "3,10")
SATURATION_SECONDS = int(os.environ.get("BENCH_SATURATION_SECONDS", "10"))
SATURATION_USERS = int(os.environ.get("BENCH_SATURATION_USERS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
LABEL = os.environ.get("BENCH_LABEL", "latest")
# BENCH_SATURATION_PAGES="home,dossier": saturate only the pages whose name contains one of these (the
# bare view always); a shorter run. Empty: every page.
SATURATION_PAGES = [p.strip() for p in os.environ.get("BENCH_SATURATION_PAGES", "").split(",") if p.strip()]
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench-load"
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
    built = time.monotonic() - started
    connection.close()
    wait_for_start()
    plan = make_plan(schools, settings.SESSION_COOKIE_NAME)  # the sessions fresh after any wait
    plan_file = WORK / "plan.json"
    plan_file.write_text(json.dumps(plan))
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
        load_before = os.getloadavg()  # the machine's load average: the figures' context
        host = f"http://127.0.0.1:{port}"
        day = locust(host, plan_file, users=USERS, seconds=LOAD_SECONDS, think=THINK, name="schooldag")
        pages = sorted({page["name"] for persona in plan["personas"] for page in persona["pages"]})
        saturation = {}
        chosen = [
            p for p in pages if p != BARE and (not SATURATION_PAGES or any(x in p for x in SATURATION_PAGES))
        ]
        for page in [BARE, *chosen]:
            samples = locust(
                host, plan_file, users=SATURATION_USERS, seconds=SATURATION_SECONDS, think="0,0", only=page
            )
            saturation[page] = summarise(samples, SATURATION_SECONDS)
    finally:
        memory.stop()
        load_after = os.getloadavg()
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    report = make_report(day, saturation, memory, built, time.monotonic() - started)
    report["load_average_start"] = [round(x, 2) for x in load_before]
    report["load_average_end"] = [round(x, 2) for x in load_after]
    (OUT / f"load-{LABEL}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    markdown = to_markdown(report)
    (OUT / f"load-{LABEL}.md").write_text(markdown)
    print(markdown)
    print(f"Geschreven: bench/results/load-{LABEL}.json en .md")


def wait_for_start() -> None:
    """BENCH_START_AT=HH:MM (in TIME_ZONE, Europe/Amsterdam: not the machine's UTC clock) and/or BENCH_WAIT_FOR=<file>: build the data set
    beforehand, measure only from then (e.g. a window in which the machine is kept quiet)."""
    at = os.environ.get("BENCH_START_AT", "")
    flag = os.environ.get("BENCH_WAIT_FOR", "")
    if at:
        from django.utils import timezone

        hour, minute = (int(x) for x in at.split(":"))
        now = timezone.localtime()  # TIME_ZONE (Europe/Amsterdam), as gunicorn's log shows it
        start = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if start > now:
            print(f"Wacht tot {at} …", flush=True)
            time.sleep((start - now).total_seconds())
    if flag:
        print(f"Wacht op {flag} …", flush=True)
        while not Path(flag).exists():
            time.sleep(2)


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
        f"Load average (1/5/15 min) bij de start {report.get('load_average_start')}, aan het eind "
        f"{report.get('load_average_end')}.",
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
