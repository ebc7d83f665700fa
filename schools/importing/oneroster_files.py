"""Reading a OneRoster 1.1 / 1.2 CSV bundle: its files, manifest, tables and what kind of bundle it is.

Facts from the 1EdTech CSV binding this relies on: manifest.csv is `propertyName,value` with
`oneroster.version` and `file.<name>` = bulk | delta | absent; each data file starts with
`sourcedId,status,dateLastModified`; status is blank in bulk files and `active` / `tobedeleted` in
deltas; 1.2 has roles.csv instead of users.role; extension columns are `metadata.*`. Real exporters
differ from the binding in header case (`birthdate`), header-only optional files and extra fields.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from . import safezip
from .records import ImportProblems, Problem, split_prefix
from .tabular import decode

REQUIRED = ("orgs", "users", "classes", "enrollments")
OPTIONAL = ("manifest", "academicSessions", "demographics", "roles", "courses")
SDS_ONLY = ("relationships", "userflags")  # Microsoft School Data Sync v2.1

# Every column of the files read here, as the binding spells it (1.1 and 1.2).
COLUMNS = (
    "sourcedId status dateLastModified name type identifier parentSourcedId title startDate endDate "
    "schoolYear schoolYearSourcedId courseCode grades orgSourcedId subjects subjectCodes courseSourcedId "
    "classCode classType location schoolSourcedId termSourcedIds periods enabledUser orgSourcedIds role "
    "username userIds givenName familyName middleName identifier email sms phone agentSourcedIds password "
    "userMasterIdentifier resourceSourcedIds preferredGivenName preferredMiddleName preferredFamilyName "
    "primaryOrgSourcedId pronouns classSourcedId userSourcedId primary beginDate endDate roleType "
    "userProfileSourcedId birthDate sex propertyName value"
).split()
CANONICAL = {name.lower(): name for name in COLUMNS}
NEEDED = {
    "orgs": ("sourcedId", "name", "type"),
    "users": ("sourcedId", "givenName", "familyName"),
    "classes": ("sourcedId", "title", "schoolSourcedId"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId"),
}

PREFIX_COLUMNS = {f"metadata.{n}" for n in ("tussenvoegsel", "voorvoegsel", "nameprefix", "prefix", "infix")}

Table = list[tuple[int, dict[str, str]]]


@dataclass
class Bundle:
    tables: dict[str, Table]
    deleted: dict[str, dict[str, dict]]  # file → {sourcedId: row} of the rows marked tobedeleted
    manifest: dict[str, str] = field(default_factory=dict)

    @property
    def delta(self) -> bool:
        return any(self.manifest.get(f"file.{name}", "").lower() == "delta" for name in REQUIRED + OPTIONAL)

    def rows(self, name: str) -> Table:
        return self.tables.get(name, [])


def _refuse(message: str, file: str = "") -> ImportProblems:
    return ImportProblems([Problem(None, "", message, file)])


def read_files(source: bytes | Path) -> dict[str, bytes]:
    """name (without .csv, as the binding spells it) → bytes; subfolders are tolerated."""
    wanted = {n.lower(): n for n in REQUIRED + OPTIONAL + SDS_ONLY}
    found: dict[str, bytes] = {}
    if isinstance(source, Path):
        for path in source.rglob("*.csv"):
            if path.stem.lower() in wanted:
                found[wanted[path.stem.lower()]] = path.read_bytes()
        return found
    members = safezip.read_members(
        source,
        lambda info: info.filename.lower().endswith(".csv") and Path(info.filename).stem.lower() in wanted,
        "zip-bestand met OneRoster-CSV's",
    )
    for name, data in members.items():
        found[wanted[Path(name).stem.lower()]] = data
    return found


def table(name: str, data: bytes) -> tuple[Table, dict[str, dict]]:
    """Active rows (line, {canonical column: value}) and the sourcedIds marked tobedeleted."""
    reader = csv.DictReader(io.StringIO(decode(data, f"{name}.csv"), newline=""))
    reader.fieldnames = [_canonical((h or "").strip()) for h in reader.fieldnames or []]
    rows, deleted = [], {}
    for row in reader:
        cleaned = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str) and k}
        if cleaned.get("status", "").lower() == "tobedeleted":
            deleted[cleaned.get("sourcedId", "")] = cleaned
        else:  # an empty status means "active" in bulk files
            rows.append((reader.line_num, cleaned))
    return rows, deleted


def _canonical(header: str) -> str:
    if header.lower().startswith("metadata."):
        return "metadata." + header[len("metadata.") :].lower()
    return CANONICAL.get(header.lower(), header)


def check_shape(files: dict[str, bytes]) -> None:
    """Refuse, in Dutch and by name, what is not a OneRoster bundle before reading any row."""
    headers = {name: _header(name, data) for name, data in files.items()}
    sds = "manifest" not in files and (
        any(name in files for name in SDS_ONLY)
        or "activedirectorymatchid" in headers.get("users", ())
        or ("sourcedid" not in headers.get("enrollments", ("sourcedid",)))
    )
    if sds:
        raise _refuse(
            "dit is een export voor Microsoft School Data Sync (SDS), geen OneRoster-bundel: er is geen "
            "manifest.csv en de kolommen zijn die van SDS. Kies in het administratiepakket de export "
            "'OneRoster 1.1' of 'OneRoster 1.2 (CSV)' en upload die zip."
        )
    problems = [
        Problem(None, "", "verplicht bestand ontbreekt in de OneRoster-bundel.", f"{name}.csv")
        for name in REQUIRED
        if name not in files
    ]
    for name, needed in NEEDED.items():
        missing = [c for c in needed if c.lower() not in headers.get(name, tuple(x.lower() for x in needed))]
        if missing:
            problems.append(
                Problem(
                    1,
                    missing[0],
                    "deze kolom ontbreekt; dit bestand volgt de OneRoster-standaard (1.1 of 1.2) niet.",
                    f"{name}.csv",
                )
            )
    if problems:
        raise ImportProblems(problems)


def _header(name: str, data: bytes) -> tuple[str, ...]:
    first = decode(data[:4096], f"{name}.csv").splitlines()[:1]
    return tuple(h.strip().strip('"').lower() for h in next(csv.reader(first), []))


def read_bundle(source: bytes | Path, only: tuple[str, ...] = ()) -> Bundle:
    """The whole bundle, or (`only`) just the named tables, e.g. for the preview's choices."""
    files = read_files(source)
    check_shape(files)
    tables, deleted = {}, {}
    for name, data in files.items():
        if name in SDS_ONLY or (only and name not in only and name != "manifest"):
            continue
        tables[name], deleted[name] = table(name, data)
    manifest = {row.get("propertyName", ""): row.get("value", "") for _, row in tables.pop("manifest", [])}
    return Bundle(tables=tables, deleted=deleted, manifest=manifest)


def class_type(row: dict) -> str:
    return (row.get("classType") or "homeroom").lower()


def summarize(bundle: Bundle) -> dict:
    """What the preview offers to choose from: the schools in the bundle and the courses."""
    orgs = [
        {"id": o["sourcedId"], "name": o.get("name", ""), "identifier": o.get("identifier", "")}
        for _, o in bundle.rows("orgs")
        if o.get("type", "school").lower() == "school"
    ] or [  # no org of type school: any org may be the school
        {"id": o["sourcedId"], "name": o.get("name", ""), "identifier": o.get("identifier", "")}
        for _, o in bundle.rows("orgs")
    ]
    courses = [{"id": c["sourcedId"], "title": c.get("title", "")} for _, c in bundle.rows("courses")]
    homerooms = any(class_type(c) == "homeroom" for _, c in bundle.rows("classes"))
    return {"orgs": orgs, "courses": courses, "has_homerooms": homerooms, "delta": bundle.delta}


def list_of(value: str) -> list[str]:
    """A OneRoster list field ("a,b" in quotes) as a list."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def subject_of(klass: dict, courses: dict) -> str:
    """The course's title, else the class's subjects, else the class's own title."""
    course = courses.get(klass.get("courseSourcedId", ""), {})
    return course.get("title") or klass.get("subjects", "") or klass.get("title", "")


def names(user: dict) -> tuple[str, str, str]:
    """(given names, tussenvoegsel, family name): middleName is a given name; the tussenvoegsel is a
    metadata column where the exporter has one, else a Dutch prefix at the start of familyName."""
    first = " ".join(filter(None, [user.get("givenName", ""), user.get("middleName", "")]))
    prefix = next((user[k] for k in PREFIX_COLUMNS if user.get(k)), "")
    family = user.get("familyName", "").strip()
    if not prefix and family.startswith("'t ") and len(family) > 3:  # 't Hart (split_prefix knows "van 't")
        return first, "'t", family[3:].strip()
    prefix, last = split_prefix(family, prefix)
    return first, prefix, last


def check_lengths(result, collector, delta: bool) -> None:
    """What the database cannot hold is a problem in the preview, never an error on apply."""
    for record in result.students:
        for column, value, limit in (
            ("identifier", record.student_number, 20),
            ("givenName", record.first_name, 100),
            ("familyName", record.name_prefix, 20),
            ("familyName", record.last_name, 100),
        ):
            if len(value) > limit:
                collector.add(
                    record.line,
                    column,
                    f"'{value[:40]}' is {len(value)} tekens lang; hier passen er {limit}.",
                    "users.csv",
                )
    if not result.students and not delta:  # a full bundle without students would end them all
        collector.add(
            None,
            "",
            "de bundel bevat geen leerlingen van deze school; er is niets geïmporteerd.",
            "users.csv",
        )
