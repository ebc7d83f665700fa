"""Time (ARCHITECTURE: time): code that decides reads the clock only through `timezone.now()`.

`timezone.now()` (and `timezone.localdate()`/`localtime()`, which call it) is the one clock: it is
aware (UTC), and tests freeze it with time-machine. `time.monotonic()`/`perf_counter()` stay allowed
for measuring durations (benchmarks, a worker's wait loop); they decide nothing.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {".venv", "var", "node_modules", "migrations", "staticfiles", ".git"}
FORBIDDEN = {
    ("time", "time"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
}


def _dotted(node: ast.AST) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return tuple(reversed(parts))


def clock_reads() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP_PARTS & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Call) and _dotted(node.func)[-2:] in FORBIDDEN:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {'.'.join(_dotted(node.func))}()")
    return found


def test_code_reads_the_clock_only_through_timezone_now():
    assert clock_reads() == []


def test_the_scan_finds_a_clock_read(tmp_path):
    tree = ast.parse("import time, datetime\nx = time.time()\ny = datetime.date.today()\nz = timezone.now()")
    calls = [_dotted(n.func)[-2:] for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert [c for c in calls if c in FORBIDDEN] == [("time", "time"), ("date", "today")]
