"""The column mapping for CSV/XLSX exports, and turning mapped rows into the common record set.

Parents come either as separate rows (one row per student–parent pair, the student's columns
repeated) or as columns "e-mailadres ouder/verzorger 1" and "… 2" on the student's row.
"""

from __future__ import annotations

from dataclasses import dataclass

from .records import (
    Collector,
    GroupRecord,
    GuardianRecord,
    ImportSet,
    StudentRecord,
    check_email,
    parse_date,
    split_prefix,
    year_level_from,
)
from .tabular import Row, normalize_header


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field(
        "student_number",
        "Leerlingnummer",
        True,
        ("leerlingnummer", "stamnr", "stamnr.", "stamnummer", "llnr", "leerling nummer", "studentnummer"),
    ),
    Field("first_name", "Roepnaam", True, ("roepnaam", "voornaam", "roepnaam leerling", "voornaam leerling")),
    # Voornamen (all given names): the first one serves as roepnaam when the file has no Roepnaam.
    Field("given_names", "Voornamen", False, ("voornamen", "voornamen leerling", "officiële voornamen")),
    Field(
        "name_prefix", "Voorvoegsel", False, ("voorvoegsel", "tussenvoegsel", "tussenv", "tussenv.", "voorv.")
    ),
    Field("last_name", "Achternaam", True, ("achternaam", "achternaam leerling", "naam")),
    Field("date_of_birth", "Geboortedatum", False, ("geboortedatum", "geb.datum", "geb. datum", "geb datum")),
    Field("email", "E-mailadres leerling", False, ("e-mailadres", "e-mail", "email", "e-mail leerling")),
    Field(
        "group",
        "Klas / groep",
        True,
        (
            "klas",
            "klasnaam",
            "stamklas",
            "stamgroep",
            "groep",
            "groepsnaam",
            "basisgroep",
            "klas/groep",
            "groep/klas",
        ),
    ),
    Field("year_level", "Leerjaar / jaargroep", False, ("leerjaar", "jaargroep")),
    Field(
        "guardian_email",
        "E-mailadres ouder (één ouder per regel)",
        False,
        ("e-mailadres ouder", "e-mail ouder", "ouder e-mail", "e-mailadres verzorger"),
    ),
    Field("guardian_first_name", "Voornaam ouder", False, ("voornaam ouder", "roepnaam ouder")),
    Field("guardian_prefix", "Voorvoegsel ouder", False, ("voorvoegsel ouder", "tussenvoegsel ouder")),
    Field("guardian_last_name", "Achternaam ouder", False, ("achternaam ouder",)),
    Field(
        "guardian_phone", "Telefoon ouder", False, ("telefoon ouder", "telefoonnummer ouder", "mobiel ouder")
    ),
    Field(
        "guardian1_email",
        "E-mailadres ouder/verzorger 1",
        False,
        (
            "e-mailadres ouder/verzorger 1",
            "e-mail ouder/verzorger 1",
            "e-mailadres ouder 1",
            "e-mail ouder 1",
        ),
    ),
    Field("guardian1_name", "Naam ouder/verzorger 1", False, ("naam ouder/verzorger 1", "naam ouder 1")),
    Field(
        "guardian1_phone",
        "Telefoon ouder/verzorger 1",
        False,
        (
            "telefoon ouder/verzorger 1",
            "telefoonnummer ouder/verzorger 1",
            "telefoon ouder 1",
            "mobiel ouder/verzorger 1",
            "telefoon",
            "telefoonnummer",
            "telefoon thuis",
        ),
    ),
    Field(
        "guardian2_email",
        "E-mailadres ouder/verzorger 2",
        False,
        (
            "e-mailadres ouder/verzorger 2",
            "e-mail ouder/verzorger 2",
            "e-mailadres ouder 2",
            "e-mail ouder 2",
        ),
    ),
    Field("guardian2_name", "Naam ouder/verzorger 2", False, ("naam ouder/verzorger 2", "naam ouder 2")),
    Field(
        "guardian2_phone",
        "Telefoon ouder/verzorger 2",
        False,
        (
            "telefoon ouder/verzorger 2",
            "telefoonnummer ouder/verzorger 2",
            "telefoon ouder 2",
            "mobiel ouder/verzorger 2",
        ),
    ),
)
# Recognised, and deliberately not imported (AVG-1 data minimisation: the file needs no more).
IGNORED_HEADERS = (
    "geslacht",
    "nationaliteit",
    "bsn",
    "burgerservicenummer",
    "adres",
    "postcode",
    "woonplaats",
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}


def ignored_headers(headers: list[str]) -> list[str]:
    """The file's headers we know and leave out on purpose (shown to the user as such)."""
    return [h for h in headers if normalize_header(h) in IGNORED_HEADERS]


def suggest_columns(headers: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """Field → header: the school's saved mapping where its headers are in this file, else by name."""
    present = {normalize_header(h): h for h in headers if h}
    columns: dict[str, str] = {}
    for field in FIELDS:
        wanted = (saved or {}).get(field.name)
        if wanted and normalize_header(wanted) in present:
            columns[field.name] = present[normalize_header(wanted)]
            continue
        for alias in field.aliases:
            if alias in present:
                columns[field.name] = present[alias]
                break
    return columns


def check_columns(headers: list[str], columns: dict[str, str], collector: Collector) -> None:
    present = {normalize_header(h) for h in headers}
    for field in FIELDS:
        header = columns.get(field.name, "")
        if field.name == "first_name" and columns.get("given_names"):
            pass  # the first of the given names serves
        elif field.required and not header:
            collector.add(1, field.label, f"verplichte kolom '{field.label}' ontbreekt in het bestand.")
        elif header and normalize_header(header) not in present:
            collector.add(1, header, f"kolom '{header}' (voor {field.label}) staat niet in het bestand.")


# Field → the model field whose max_length it must fit; checked in the preview (issue 8).
LIMITED = {
    "student_number": ("Student", "student_number"),
    "first_name": ("Student", "first_name"),
    "name_prefix": ("Student", "name_prefix"),
    "last_name": ("Student", "last_name"),
    "group": ("Group", "name"),
    "guardian_first_name": ("Guardian", "first_name"),
    "guardian_prefix": ("Guardian", "name_prefix"),
    "guardian_last_name": ("Guardian", "last_name"),
    "guardian_phone": ("Guardian", "phone"),
    "guardian1_name": ("Guardian", "last_name"),
    "guardian1_phone": ("Guardian", "phone"),
    "guardian2_name": ("Guardian", "last_name"),
    "guardian2_phone": ("Guardian", "phone"),
}


def _max_length(name: str) -> int:
    from django.apps import apps

    model, field = LIMITED[name]
    return apps.get_model("schools", model)._meta.get_field(field).max_length


def _check_length(collector: Collector, line: int, columns: dict, name: str, value: str) -> None:
    limit = _max_length(name)
    if len(value) > limit:
        label = columns.get(name) or FIELD_BY_NAME[name].label
        collector.add(
            line,
            label,
            f"{FIELD_BY_NAME[name].label.lower()} is te lang: {len(value)} tekens, hoogstens {limit}.",
        )


def _student_key(record: StudentRecord) -> tuple:
    return (record.first_name, record.name_prefix, record.last_name, record.date_of_birth, record.group)


def rows_to_import_set(
    headers: list[str], rows: list[Row], columns: dict[str, str], school_year_start: str, filename: str = ""
) -> ImportSet:
    collector = Collector()  # one file: its name adds nothing to the message
    check_columns(headers, columns, collector)
    collector.raise_if_any()
    index = {name: headers.index(header) for name, header in columns.items() if header in headers}
    per_row_guardians = "guardian_email" in index
    result = ImportSet(
        school_year_start=school_year_start,
        has_guardians=any(k in index for k in ("guardian_email", "guardian1_email", "guardian2_email")),
    )
    students: dict[str, StudentRecord] = {}
    groups: dict[str, GroupRecord] = {}
    guardians: dict[str, GuardianRecord] = {}

    for line, cells in rows:

        def cell(name: str, cells=cells) -> str:
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        def need(name: str, line=line) -> str:
            value = cell(name)
            if not value:
                label = columns.get(name) or FIELD_BY_NAME[name].label
                collector.add(line, label, f"{FIELD_BY_NAME[name].label.lower()} ontbreekt.")
            return value

        given = cell("given_names").split()
        number, first, last, group = (
            need("student_number"),
            cell("first_name") or (given[0] if given else "") or need("first_name"),
            need("last_name"),
            need("group"),
        )
        for name in LIMITED:
            _check_length(collector, line, columns, name, cell(name))
        prefix, last = split_prefix(last, cell("name_prefix"))
        born = None
        if cell("date_of_birth"):
            try:
                born = parse_date(cell("date_of_birth")).isoformat()
            except ValueError as error:
                collector.add(line, columns["date_of_birth"], str(error))
        email = ""
        if cell("email"):
            try:
                email = check_email(cell("email"))
            except ValueError as error:
                collector.add(line, columns["email"], str(error))
        if not number:
            continue
        record = StudentRecord(number, first, prefix, last, born, email, group, line)
        earlier = students.get(number)
        if earlier is not None and not (per_row_guardians and _student_key(earlier) == _student_key(record)):
            collector.add(
                line, columns["student_number"], f"leerlingnummer {number} staat ook op regel {earlier.line}."
            )
        elif earlier is None:
            students[number] = record
        if group and group not in groups:
            groups[group] = GroupRecord(group, year_level_from(cell("year_level")))

        for prefix_name, name_field in (
            ("guardian", None),
            ("guardian1", "guardian1_name"),
            ("guardian2", "guardian2_name"),
        ):
            phone = cell(f"{prefix_name}_phone")
            raw = cell(f"{prefix_name}_email")
            if not raw:
                continue
            try:
                address = check_email(raw)
            except ValueError as error:
                collector.add(line, columns[f"{prefix_name}_email"], str(error))
                continue
            guardian = guardians.setdefault(address, GuardianRecord(email=address))
            if name_field is None:
                g_prefix, g_last = split_prefix(cell("guardian_last_name"), cell("guardian_prefix"))
                guardian.first_name = cell("guardian_first_name") or guardian.first_name
                guardian.name_prefix, guardian.last_name = (
                    g_prefix or guardian.name_prefix,
                    g_last or guardian.last_name,
                )
                guardian.phone = cell("guardian_phone") or guardian.phone
            else:
                guardian.last_name = cell(name_field) or guardian.last_name
                guardian.phone = phone or guardian.phone
            if number not in guardian.students:
                guardian.students.append(number)

    collector.raise_if_any()
    for guardian in guardians.values():
        # Guardian.last_name is required; an export with only an address names the parent by it.
        guardian.last_name = guardian.last_name or guardian.email
    result.students = list(students.values())
    result.groups = list(groups.values())
    result.guardians = list(guardians.values())
    return result
