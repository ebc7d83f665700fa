"""OneRoster choices the bundle cannot answer: which org is this school, how groups are formed.

The preview offers them (`bundle_summary`), the user picks (`choose_options`), and the school
remembers the choice for the next upload, like the saved CSV column mapping (an ImportMapping
named "oneroster": {"org": sourcedId, "groups": "scheduled" | "grade" | "course:<id>"}).
"""

from __future__ import annotations

from audit.audit import audit

from ..importing.oneroster import GROUP_MODES
from ..importing.oneroster_files import read_bundle, summarize
from ..importing.records import ImportProblems
from ..models import ImportFormat, ImportMapping, ImportRun, ImportStatus, School

MAPPING_NAME = "oneroster"


def saved_options(school: School) -> dict:
    saved = ImportMapping.objects.filter(school=school, name=MAPPING_NAME).first()
    return dict(saved.columns) if saved else {}


def _upload(run: ImportRun) -> bytes | None:
    if not run.upload:
        return None
    run.upload.open("rb")
    with run.upload:
        return run.upload.read()


def _offered(run: ImportRun) -> tuple[bytes | None, dict | None]:
    """The upload of a OneRoster run not yet applied, with the schools, classes and courses it offers."""
    if run.format != ImportFormat.ONEROSTER or run.status not in (
        ImportStatus.INVALID,
        ImportStatus.PREVIEWED,
    ):
        return None, None
    data = _upload(run)
    if data is None:
        return None, None
    try:
        return data, summarize(read_bundle(data, only=("orgs", "classes", "courses")))
    except ImportProblems:
        return data, None


def bundle_summary(run: ImportRun) -> dict | None:
    """The schools and courses in the uploaded bundle and what is chosen now; None once applied."""
    data, summary = _offered(run)
    if summary is None:
        return None
    source = (run.records or {}).get("source", {})
    summary["org"] = source.get("org") or run.columns.get("org", "")
    summary["groups"] = source.get("groups") or run.columns.get("groups", "") or "scheduled"
    summary["several_groups"] = source.get("several_groups", 0)
    summary["ask_org"] = len(summary["orgs"]) > 1 or not summary["org"]
    summary["ask_groups"] = not summary["has_homerooms"]
    return summary


def choose_options(*, actor, run: ImportRun, org: str = "", groups: str = "") -> ImportRun:
    """Parse again with the chosen org / grouping, preview, and remember the choice for the school."""
    from .imports import _preview, parse_file

    data, offered = _offered(run)
    if offered is None:
        return run
    options = dict(run.columns or {})
    all_orgs = {o["id"] for o in offered["orgs"]}
    if org in all_orgs:  # only what the page offered is taken and remembered
        options["org"] = org
    courses = {f"course:{c['id']}" for c in offered["courses"]}
    if groups in GROUP_MODES or groups in courses:
        options["groups"] = groups
    run.columns = options
    _preview(
        run,
        lambda: parse_file(
            school=run.school, format=run.format, data=data, filename=run.filename, options=options
        ),
    )
    if run.status == ImportStatus.PREVIEWED:  # only a choice that worked is remembered
        ImportMapping.objects.update_or_create(
            school=run.school, name=MAPPING_NAME, defaults={"columns": options}
        )
        audit(actor=actor, action="schools.import.options_chosen", obj=run, data=options)
    return run
