"""Issue 9 §2, ARCHITECTURE "Apps: one folder per mechanism": arrows run one way. The foundation
(`schools`) imports no other app of ours except `audit`; `audit` imports none but (where unavoidable)
`schools`. Checked on the source with the standard library's `ast`, so a lazy import inside a
function counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MECHANISMS = ("dossier", "messaging", "signatures", "deadlines", "portal")
PROTOCOL_APPS = ("protocols", "behaviour", "reviews", "measures")


def imported_apps(app: str) -> dict[str, set[str]]:
    """{top-level package imported: {file:line, …}} for every .py file of the app (migrations too)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


# Not yet: schools.calendar.dagdeel_minutes reads the file protocol (protocols.services) since issue 9 §1.
@pytest.mark.parametrize("forbidden", MECHANISMS + ("behaviour", "reviews", "measures"))
def test_schools_imports_nothing_from_a_mechanism_or_protocol_app(forbidden):
    assert imported_apps("schools").get(forbidden, set()) == set()


@pytest.mark.parametrize("forbidden", MECHANISMS + PROTOCOL_APPS)
def test_audit_imports_no_mechanism_or_protocol_app(forbidden):
    assert imported_apps("audit").get(forbidden, set()) == set()


def test_the_scan_sees_imports():
    """The check above would pass vacuously on a broken scan: schools does import audit."""
    assert imported_apps("schools").get("audit")


def private_names_from_other_apps(app: str) -> set[str]:
    """`from other_app.module import _name` in the app's files (an app's own private names are its own)."""
    found = set()
    for path in sorted((ROOT / app).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] == app:
                    continue
                found |= {f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                          for alias in node.names if alias.name.startswith("_")}  # fmt: skip
    return found


@pytest.mark.parametrize("app", ("schools", "audit", *MECHANISMS, *PROTOCOL_APPS))
def test_no_app_imports_another_apps_private_names(app):
    """Issue #13 review: portal.queries imported schools.access._unwrap (it is `unwrap_user` now) and
    behaviour.rules_plans made its role predicates with schools.rules._role_at_school (it imports them)."""
    assert private_names_from_other_apps(app) == set()
