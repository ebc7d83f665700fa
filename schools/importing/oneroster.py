"""OneRoster 1.1 / 1.2 CSV bundles (zip or folder) → ImportSet.

Tolerant where real exporters differ (absent or header-only optional files, empty `status`, 1.2's
roles.csv instead of a `role` column, header case, no homerooms, their own org ids instead of the
BRIN) and strict where data would go wrong: every reference (enrollment → class/user, class →
school/term, agent → user, demographics → user) must resolve, or the bundle is refused with file,
line and column. A reference to a record marked `tobedeleted` is a deletion, not a broken reference;
in a delta bundle a reference to a record outside the bundle points at an earlier import.

Choices the file cannot answer come from `options` (the preview asks, the school remembers):
`org` — the org that is this school when no `orgs.identifier` is its BRIN; `groups` — how groups are
formed when the bundle has no homerooms: "scheduled" (each scheduled class, the default), "grade", or
"course:<courseSourcedId>" (the classes of that course, e.g. a mentor lesson).
"""

from __future__ import annotations

from pathlib import Path

from .oneroster_files import Bundle, check_lengths, class_type, list_of, names, read_bundle, subject_of
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

STAFF_ROLES = {"teacher", "administrator", "aide", "proctor"}
GUARDIAN_ROLES = {"parent", "guardian", "relativeOrContact"}
GROUP_MODES = ("scheduled", "grade")


class OrgChoiceNeeded(ImportProblems):
    """No org carries this school's BRIN and there is more than one school: the user picks one."""


def parse_oneroster(
    source: bytes | Path, filename: str, *, brin: str, options: dict | None = None, kind: str = ""
) -> ImportSet:
    return _Parser(read_bundle(source), brin, options or {}, kind).parse()


class _Parser:
    def __init__(self, bundle: Bundle, brin: str, options: dict, kind: str):
        self.bundle, self.brin, self.options, self.kind = bundle, brin, options, kind
        self.collector = Collector()
        self.delta = bundle.delta

    # --- references --------------------------------------------------------------------------

    def ref(self, file: str, line: int, column: str, value: str, known, what: str, target: str) -> bool:
        if value in known:
            return True
        if value in self.bundle.deleted.get(target, ()) or self.delta:
            return False  # a deletion, or (delta) a record sent earlier: not an error
        self.collector.add(
            line, column, f"verwijst naar {what} '{value}' die niet in de bundel staat.", f"{file}.csv"
        )
        return False

    # --- the school and its orgs -------------------------------------------------------------

    def _scope(self) -> tuple[str, set[str]]:
        orgs = {row["sourcedId"]: row for _, row in self.bundle.rows("orgs")}
        self.orgs = orgs
        schools = [o for o in orgs.values() if o.get("type", "school").lower() == "school"]
        chosen = self.options.get("org", "")
        if chosen not in orgs:
            brin = self.brin.upper()
            mine = [o for o in orgs.values() if brin and o.get("identifier", "").upper().startswith(brin)]
            mine = mine or (schools if len(schools) == 1 else [])
            chosen = mine[0]["sourcedId"] if mine else ""
        if not chosen:
            if self.delta and not orgs:  # a delta without orgs: the bundle is this school's
                return "", set()
            raise OrgChoiceNeeded(
                [
                    Problem(
                        None,
                        "identifier",
                        f"geen org heeft BRIN {self.brin} als identifier (het exportpakket gebruikt eigen "
                        "codes). Kies hieronder welke school in de bundel deze school is; die keuze wordt "
                        "onthouden.",
                        "orgs.csv",
                    )
                ]
            )
        scope, todo = {chosen}, [chosen]
        while todo:  # the chosen org and its child orgs (departments, locations)
            parent = todo.pop()
            for org_id, org in orgs.items():
                if org.get("parentSourcedId") == parent and org_id not in scope:
                    scope.add(org_id)
                    todo.append(org_id)
        return chosen, scope

    def _in_scope(self, org_ids) -> bool:
        return not self.scope or any(o in self.scope for o in org_ids)

    # --- parse -------------------------------------------------------------------------------

    def parse(self) -> ImportSet:
        bundle, c = self.bundle, self.collector
        chosen, self.scope = self._scope()
        sessions = {row["sourcedId"]: row for _, row in bundle.rows("academicSessions")}
        years = [s for s in sessions.values() if s.get("type") == "schoolYear" and s.get("startDate")]
        start = school_year_start_for(parse_date(years[0]["startDate"])) if years else None

        users = {row["sourcedId"]: {**row, "_line": line} for line, row in bundle.rows("users")}
        user_orgs = {
            u: list_of(row.get("orgSourcedIds", "")) + list_of(row.get("primaryOrgSourcedId", ""))
            for u, row in users.items()
        }
        for line, role in bundle.rows("roles"):  # 1.2: roles.csv replaces users.role
            user_id = role.get("userSourcedId", "")
            if self.ref("roles", line, "userSourcedId", user_id, users, "gebruiker", "users"):
                user_orgs[user_id] += list_of(role.get("orgSourcedId", ""))
                if role.get("roleType", "primary").lower() == "primary" or "role" not in users[user_id]:
                    users[user_id]["role"] = role.get("role", "")
        births: dict[str, str] = {}
        for line, row in bundle.rows("demographics"):
            user_id = row.get("sourcedId", "")
            if self.ref("demographics", line, "sourcedId", user_id, users, "gebruiker", "users") and row.get(
                "birthDate"
            ):
                try:
                    births[user_id] = parse_date(row["birthDate"]).isoformat()
                except ValueError as error:
                    c.add(line, "birthDate", str(error), "demographics.csv")

        courses = {row["sourcedId"]: row for _, row in bundle.rows("courses")}
        all_classes = {row["sourcedId"]: row for _, row in bundle.rows("classes")}
        classes: dict[str, dict] = {}  # this school's classes, in file order
        for line, row in bundle.rows("classes"):
            self.ref(
                "classes",
                line,
                "schoolSourcedId",
                row.get("schoolSourcedId", ""),
                self.orgs,
                "school",
                "orgs",
            )
            for term in list_of(row.get("termSourcedIds", "")):
                if sessions:
                    self.ref("classes", line, "termSourcedIds", term, sessions, "periode", "academicSessions")
            if self._in_scope([row.get("schoolSourcedId", "")]):
                classes[row["sourcedId"]] = row

        mode = self._group_mode(classes, courses)
        grouping = {k for k, v in classes.items() if self._forms_group(v, mode)}
        enrolled: dict[str, list[str]] = {}  # student → classes, in file order
        members: dict[str, list[str]] = {}  # class → students
        teachers: list[tuple[str, dict, bool]] = []
        later_refs: dict[str, str] = {}  # delta: user → class sourcedId not in this bundle
        for line, row in bundle.rows("enrollments"):
            class_id, user_id = row.get("classSourcedId", ""), row.get("userSourcedId", "")
            class_ok = self.ref(
                "enrollments", line, "classSourcedId", class_id, all_classes, "klas", "classes"
            )
            user_ok = self.ref("enrollments", line, "userSourcedId", user_id, users, "gebruiker", "users")
            if self.delta and user_ok and class_id not in all_classes:
                later_refs.setdefault(user_id, class_id)  # a class sent in an earlier bundle
            if not (class_ok and user_ok and class_id in classes):
                continue
            role = row.get("role") or users[user_id].get("role", "")
            if role == "student":
                enrolled.setdefault(user_id, []).append(class_id)
                members.setdefault(class_id, []).append(user_id)
            elif role in STAFF_ROLES:
                teachers.append((user_id, classes[class_id], row.get("primary", "").lower() == "true"))

        order = {class_id: n for n, class_id in enumerate(classes)}
        group_of: dict[str, str] = {}
        several = 0  # students in more than one group-forming class: they go into the first
        for user_id, class_ids in enrolled.items():
            if mode == "grade":
                grade = (
                    list_of(users[user_id].get("grades", ""))
                    or list_of(classes[class_ids[0]].get("grades", ""))
                    or [""]
                )[0]
                if grade:
                    group_of[user_id] = self._grade_group(grade)
                continue
            mine = sorted((k for k in class_ids if k in grouping), key=order.__getitem__)
            if mine:
                group_of[user_id] = classes[mine[0]]["title"][:50]
                several += len(mine) > 1

        result = ImportSet(
            school_year_start=(start or school_year_start_for(_today())).isoformat(),
            has_guardians=not self.delta and any(u.get("role") in GUARDIAN_ROLES for u in users.values()),
            has_assignments=not self.delta,
            delta=self.delta,
            source={
                "format": "oneroster",
                "version": bundle.manifest.get("oneroster.version", ""),
                "system": bundle.manifest.get("source.systemName", ""),
                "org": chosen,
                "org_name": self.orgs.get(chosen, {}).get("name", ""),
                "groups": mode,
                "delta": self.delta,
                "several_groups": several,
            },
        )
        if mode == "grade":
            for name in sorted(set(group_of.values())):
                result.groups.append(GroupRecord(name, year_level_from(name.rsplit(" ", 1)[-1])))
        else:
            named = set()
            for class_id in order:
                name = classes[class_id]["title"][:50]
                if class_id in grouping and name not in named:  # two classes of one title: one group
                    named.add(name)
                    grades = list_of(classes[class_id].get("grades", "")) or [""]
                    result.groups.append(GroupRecord(name, year_level_from(grades[0]), class_id))

        teaching = {user_id for user_id, _, _ in teachers}
        students = self._people(users, user_orgs, enrolled, teaching, births, group_of, result)
        check_lengths(result, self.collector, self.delta)
        c.raise_if_any()
        check_students(result.students, c, "identifier")
        c.raise_if_any()
        self._guardians(users, students, result)
        self._assignments(users, teachers, members, group_of, grouping, courses, mode, result)
        if self.delta:
            result.students_deleted = self._deleted_students()
            result.group_refs = {
                s.student_number: later_refs[user_id]
                for user_id, s in zip(self.student_ids, result.students, strict=True)
                if user_id in later_refs and not s.group
            }
        return result

    def _deleted_students(self) -> list[str]:
        """Student numbers of the users a delta marks tobedeleted (ended, never deleted: AVG-3)."""
        numbers = []
        for user_id, row in self.bundle.deleted.get("users", {}).items():
            if row.get("role", "student") != "student":
                continue
            if list_of(row.get("orgSourcedIds", "")) and not self._in_scope(
                list_of(row.get("orgSourcedIds", ""))
            ):
                continue
            numbers.append(row.get("identifier") or user_id)
        return sorted(numbers)

    def _group_mode(self, classes: dict, courses: dict) -> str:
        if any(class_type(k) == "homeroom" for k in classes.values()):
            return "homeroom"
        wanted = self.options.get("groups", "") or "scheduled"
        if wanted.startswith("course:") and wanted[7:] in courses:
            return wanted
        return wanted if wanted in GROUP_MODES else "scheduled"

    @staticmethod
    def _forms_group(klass: dict, mode: str) -> bool:
        if mode == "homeroom":
            return class_type(klass) == "homeroom"
        if mode == "scheduled":
            return True
        if mode.startswith("course:"):
            return klass.get("courseSourcedId", "") == mode[7:]
        return False

    def _grade_group(self, grade: str) -> str:
        level = year_level_from(grade)
        label = "Groep" if self.kind == "po" else "Leerjaar"
        return f"{label} {level if level is not None else grade}"[:50]

    def _people(self, users, user_orgs, enrolled, teaching, births, group_of, result) -> set[str]:
        """Students and staff of this school; returns the students' sourcedIds."""
        students = set()
        self.student_ids: list[str] = []
        for user_id, user in users.items():
            role, line = user.get("role", ""), user["_line"]
            if role == "student":
                mine = self._in_scope(user_orgs[user_id]) if user_orgs[user_id] else user_id in enrolled
            elif role in STAFF_ROLES:  # of this school, or teaching one of its classes
                mine = self._in_scope(user_orgs[user_id]) or user_id in teaching
            else:
                continue
            if not mine:
                continue  # a user of another school in the bundle
            user["_email"] = self._email(user, line)
            for agent in list_of(user.get("agentSourcedIds", "")):
                self.ref("users", line, "agentSourcedIds", agent, users, "gebruiker", "users")
            first, prefix, last = names(user)
            if role == "student":
                students.add(user_id)
                self.student_ids.append(user_id)  # in step with result.students
                result.students.append(
                    StudentRecord(
                        student_number=user.get("identifier") or user_id,
                        first_name=first,
                        name_prefix=prefix,
                        last_name=last,
                        date_of_birth=births.get(user_id),
                        email=user["_email"],
                        group=group_of.get(user_id, ""),
                        line=line,
                    )
                )
            elif user["_email"]:
                result.staff.append(
                    StaffRecord(user["_email"], first_name=first, name_prefix=prefix, last_name=last)
                )
        return students

    def _email(self, user: dict, line: int) -> str:
        if not user.get("email"):
            return ""
        try:
            return check_email(user["email"])
        except ValueError as error:
            self.collector.add(line, "email", str(error), "users.csv")
            return ""

    def _guardians(self, users, students, result) -> None:
        """Guardians linked (either way round) to a student of this school, whatever their own org."""
        number_of = {u: users[u].get("identifier") or u for u in students}
        agents_of: dict[str, list[str]] = {}
        for user_id in students:
            for agent in list_of(users[user_id].get("agentSourcedIds", "")):
                agents_of.setdefault(agent, []).append(user_id)
        for user_id, user in users.items():
            if user.get("role") not in GUARDIAN_ROLES:
                continue
            children = {
                c
                for c in list_of(user.get("agentSourcedIds", "")) + agents_of.get(user_id, [])
                if c in students
            }
            if not children:
                continue
            email = self._email(user, user["_line"])
            first, prefix, last = names(user)
            result.guardians.append(
                GuardianRecord(
                    email=email,
                    external_id=user_id,
                    first_name=first,
                    name_prefix=prefix,
                    last_name=last or email,
                    phone=user.get("phone", "") or user.get("sms", ""),
                    students=sorted(number_of[c] for c in children),
                )
            )
        self.collector.raise_if_any()

    def _assignments(self, users, teachers, members, group_of, grouping, courses, mode, result) -> None:
        seen: set[tuple] = set()
        for user_id, klass, primary in teachers:
            email = users[user_id].get("_email", "")
            if not email:
                continue
            class_id, subject = klass["sourcedId"], subject_of(klass, courses)
            targets: dict[str, tuple[str, bool]] = {}  # group → (subject, mentor)
            # A lesgroep's teacher teaches its subject to every group its students are in, so the
            # teacher keeps seeing each student enrolled in the class.
            for student in members.get(class_id, []):
                if student in group_of:
                    targets[group_of[student]] = (subject, False)
            if class_id in grouping:  # the class is a group itself; a homeroom's primary teacher mentors it
                own = klass["title"][:50]
                if mode == "scheduled":
                    targets[own] = (subject, False)
                else:
                    targets[own] = (klass.get("subjects", "") if mode == "homeroom" else "", primary)
            for group, (subject, mentor) in sorted(targets.items()):
                key = (email, group, subject[:50])
                if key not in seen:
                    seen.add(key)
                    result.assignments.append(AssignmentRecord(*key, mentor=mentor))


def _today():
    from django.utils import timezone

    return timezone.localdate()
