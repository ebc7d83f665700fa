"""OneRoster 1.1 / 1.2 CSV bundles (zip or folder).

Tolerant where real exporters differ (absent optional files, empty `status`, 1.2's roles.csv instead
of a `role` column, the tussenvoegsel in middleName) and strict where data would go wrong: every
reference (enrollment → class/user, class → school/term, agent → user, demographics → user) must
resolve, or the bundle is refused with file, line and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from .records import (
    AssignmentRecord,
    Collector,
    GroupRecord,
    GuardianRecord,
    ImportProblems,
    ImportSet,
    Problem,
    StaffRecord,
    StudentRecord,
    check_email,
    check_students,
    parse_date,
    school_year_start_for,
    year_level_from,
)
from .tabular import decode

REQUIRED = ("orgs", "users", "classes", "enrollments")
OPTIONAL = ("manifest", "academicSessions", "demographics", "roles")
STAFF_ROLES = {"teacher", "administrator", "aide", "proctor"}
GUARDIAN_ROLES = {"parent", "guardian", "relativeOrContact"}

Table = list[tuple[int, dict[str, str]]]


def _read_files(source: bytes | Path) -> dict[str, bytes]:
    """name (without .csv) → bytes; subfolders inside a zip are tolerated."""
    wanted = {n.lower(): n for n in REQUIRED + OPTIONAL}
    found: dict[str, bytes] = {}
    if isinstance(source, Path):
        for path in source.rglob("*.csv"):
            if path.stem.lower() in wanted:
                found[wanted[path.stem.lower()]] = path.read_bytes()
        return found
    try:
        archive = zipfile.ZipFile(io.BytesIO(source))
    except zipfile.BadZipFile:
        raise ImportProblems(
            [Problem(None, "", "het bestand is geen zip-bestand met OneRoster-CSV's.")]
        ) from None
    for info in archive.infolist():
        stem = Path(info.filename).stem.lower()
        if info.filename.lower().endswith(".csv") and stem in wanted:
            found[wanted[stem]] = archive.read(info)
    return found


def _table(name: str, data: bytes) -> Table:
    reader = csv.DictReader(io.StringIO(decode(data, f"{name}.csv"), newline=""))
    reader.fieldnames = [(h or "").strip() for h in reader.fieldnames or []]
    rows = []
    for row in reader:
        cleaned = {k: (v or "").strip() for k, v in row.items() if k}
        # An empty status means "active" in bulk files; only tobedeleted drops a record.
        if cleaned.get("status", "").lower() != "tobedeleted":
            rows.append((reader.line_num, cleaned))
    return rows


def parse_oneroster(source: bytes | Path, filename: str, *, brin: str) -> ImportSet:
    files = _read_files(source)
    collector = Collector()
    for name in REQUIRED:
        if name not in files:
            collector.add(None, "", "verplicht bestand ontbreekt in de OneRoster-bundel.", f"{name}.csv")
    collector.raise_if_any()
    tables = {name: _table(name, data) for name, data in files.items()}

    def ref(file: str, line: int, column: str, value: str, known, what: str) -> bool:
        if value in known:
            return True
        collector.add(
            line, column, f"verwijst naar {what} '{value}' die niet in de bundel staat.", f"{file}.csv"
        )
        return False

    # The school: the org whose identifier is this school's BRIN, else the only school in the bundle.
    orgs = {row["sourcedId"]: row for _, row in tables["orgs"]}
    schools = [o for o in orgs.values() if o.get("type", "school") == "school"]
    mine = [o for o in schools if o.get("identifier", "").upper().startswith(brin.upper())] or (
        schools if len(schools) == 1 else []
    )
    if not mine:
        collector.add(None, "identifier", f"geen school met BRIN {brin} in orgs.csv.", "orgs.csv")
        collector.raise_if_any()
    school_id = mine[0]["sourcedId"]

    sessions = {row["sourcedId"]: row for _, row in tables.get("academicSessions", [])}
    years = [s for s in sessions.values() if s.get("type") == "schoolYear" and s.get("startDate")]
    start = school_year_start_for(parse_date(years[0]["startDate"])) if years else None

    users: dict[str, dict] = {row["sourcedId"]: {**row, "_line": line} for line, row in tables["users"]}
    for line, role in tables.get("roles", []):  # 1.2: roles.csv replaces users.role
        if ref("roles", line, "userSourcedId", role.get("userSourcedId", ""), users, "gebruiker"):
            users[role["userSourcedId"]].setdefault("role", role.get("role", ""))
    births: dict[str, str] = {}
    for line, row in tables.get("demographics", []):
        if ref("demographics", line, "sourcedId", row.get("sourcedId", ""), users, "gebruiker") and row.get(
            "birthDate"
        ):
            try:
                births[row["sourcedId"]] = parse_date(row["birthDate"]).isoformat()
            except ValueError as error:
                collector.add(line, "birthDate", str(error), "demographics.csv")

    classes: dict[str, dict] = {}
    for line, row in tables["classes"]:
        ref("classes", line, "schoolSourcedId", row.get("schoolSourcedId", ""), orgs, "school")
        for term in filter(None, row.get("termSourcedIds", "").split(",")):
            if sessions:
                ref("classes", line, "termSourcedIds", term.strip(), sessions, "periode")
        if row.get("schoolSourcedId") == school_id:
            classes[row["sourcedId"]] = row

    result = ImportSet(
        school_year_start=(start or school_year_start_for(_today())).isoformat(),
        has_guardians=any(u.get("role") in GUARDIAN_ROLES for u in users.values()),
        has_assignments=True,
    )
    homeroom_of: dict[str, str] = {}  # user sourcedId → homeroom title
    members: dict[str, list[str]] = {}  # class sourcedId → student sourcedIds
    teachers: list[tuple[str, dict, bool]] = []
    all_classes = {row["sourcedId"] for _, row in tables["classes"]}
    for line, row in tables["enrollments"]:
        class_ok = ref(
            "enrollments", line, "classSourcedId", row.get("classSourcedId", ""), all_classes, "klas"
        )
        user_ok = ref("enrollments", line, "userSourcedId", row.get("userSourcedId", ""), users, "gebruiker")
        klass = classes.get(row.get("classSourcedId", ""))
        if not (class_ok and user_ok and klass):
            continue
        user_id, role = row["userSourcedId"], row.get("role") or users[row["userSourcedId"]].get("role", "")
        if role == "student":
            members.setdefault(klass["sourcedId"], []).append(user_id)
            if klass.get("classType", "homeroom") == "homeroom":
                homeroom_of.setdefault(user_id, klass["title"])
        elif role in STAFF_ROLES:
            teachers.append((user_id, klass, row.get("primary", "").lower() == "true"))

    for klass in classes.values():
        if klass.get("classType", "homeroom") == "homeroom":
            grades = klass.get("grades", "").split(",")
            result.groups.append(GroupRecord(klass["title"], year_level_from(grades[0])))

    emails: dict[str, str] = {}
    for user_id, user in users.items():
        role, line = user.get("role", ""), user["_line"]
        email = ""
        if user.get("email"):
            try:
                email = check_email(user["email"])
            except ValueError as error:
                collector.add(line, "email", str(error), "users.csv")
        emails[user_id] = email
        for agent in _agents(user):
            ref("users", line, "agentSourcedIds", agent, users, "gebruiker")
        names = dict(first_name=user.get("givenName", ""), name_prefix=user.get("middleName", ""))
        if role == "student":
            result.students.append(
                StudentRecord(
                    student_number=user.get("identifier") or user_id,
                    last_name=user.get("familyName", ""),
                    date_of_birth=births.get(user_id),
                    email=email,
                    group=homeroom_of.get(user_id, ""),
                    line=line,
                    **names,
                )
            )
        elif role in STAFF_ROLES and email:
            result.staff.append(StaffRecord(email, last_name=user.get("familyName", ""), **names))
    collector.raise_if_any()
    check_students(result.students, collector, "identifier")
    collector.raise_if_any()

    number_of = {u: users[u].get("identifier") or u for u in users}
    agents_of: dict[str, list[str]] = {}  # parent sourcedId → children naming them as agent
    for user_id, user in users.items():
        for agent in _agents(user):
            agents_of.setdefault(agent, []).append(user_id)
    for user_id, user in users.items():
        if user.get("role") not in GUARDIAN_ROLES:
            continue
        children = _agents(user) + [s for s in agents_of.get(user_id, [])]
        result.guardians.append(
            GuardianRecord(
                email=emails[user_id],
                external_id=user_id,
                first_name=user.get("givenName", ""),
                name_prefix=user.get("middleName", ""),
                last_name=user.get("familyName", "") or emails[user_id],
                phone=user.get("phone", "") or user.get("sms", ""),
                students=sorted({number_of[c] for c in children if users[c].get("role") == "student"}),
            )
        )

    seen: set[tuple] = set()
    for user_id, klass, primary in teachers:
        if not emails.get(user_id):
            continue
        if klass.get("classType", "homeroom") == "homeroom":
            targets, subject = [klass["title"]], klass.get("subjects", "")
        else:  # a lesgroep: the teacher teaches its subject to the homerooms its students are in
            targets = sorted(
                {homeroom_of[s] for s in members.get(klass["sourcedId"], []) if s in homeroom_of}
            )
            subject = klass.get("subjects") or klass.get("title", "")
        for group in targets:
            key = (emails[user_id], group, subject)
            if key not in seen:
                seen.add(key)
                homeroom = klass.get("classType", "homeroom") == "homeroom"
                result.assignments.append(AssignmentRecord(*key, mentor=primary and homeroom))
    return result


def _agents(user: dict) -> list[str]:
    return [a.strip() for a in user.get("agentSourcedIds", "").split(",") if a.strip()]


def _today():
    from django.utils import timezone

    return timezone.localdate()
