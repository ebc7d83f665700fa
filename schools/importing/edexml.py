"""EDEXML 2.1 (EDEX.XML as ParnasSys and ESIS export it): validated against the published XSD.

school (brincode, dependancecode, schooljaar), groepen (key, naam, jaargroep), leerlingen (key =
leerlingnummer, names with voorvoegsel, geboortedatum, basisgroep) and leerkrachten with their
groepen (groepsleerkrachten → teaching assignments).
"""

from __future__ import annotations

import datetime
import functools
import shutil
import tempfile
import xml.etree.ElementTree as ET  # noqa: N817
from pathlib import Path
from xml.parsers import expat as pyexpat

import xmlschema
from django.utils import timezone

from .records import (
    AssignmentRecord,
    Collector,
    GroupRecord,
    ImportProblems,
    ImportSet,
    Problem,
    StaffRecord,
    StudentRecord,
    check_email,
    check_students,
    year_level_from,
)

XSD_DIR = Path(__file__).parent / "xsd"
LAST_PUBLISHED_YEAR = 2024  # the published enumeration ends with "2024-2025"


@functools.cache
def schema() -> xmlschema.XMLSchema:
    """The published schema, with EDEXSchooljaarType extended to the current school years (see xsd/README)."""
    target = Path(tempfile.mkdtemp(prefix="edexml-xsd-"))
    for xsd in XSD_DIR.glob("*.xsd"):
        shutil.copy(xsd, target / xsd.name)
    variabel = target / "EDEXML.types.variabel.xsd"
    text = variabel.read_text(encoding="utf-8")
    last = f'<xs:enumeration value="{LAST_PUBLISHED_YEAR}-{LAST_PUBLISHED_YEAR + 1}"/>'
    extra = "".join(
        f'<xs:enumeration value="{y}-{y + 1}"/>'
        for y in range(LAST_PUBLISHED_YEAR + 1, timezone.now().year + 2)
    )
    variabel.write_text(text.replace(last, last + extra, 1), encoding="utf-8")
    return xmlschema.XMLSchema(str(target / "EDEXML.structuur.xsd"))


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _explain(error: xmlschema.XMLSchemaValidationError) -> str:
    reason = (error.reason or "").strip()
    return f"voldoet niet aan het EDEXML-schema ({error.path or '/'}): {reason}"


def _parse_with_lines(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse with expat, remembering each element's line; a DOCTYPE (entities) is refused outright."""
    lines: dict[int, int] = {}
    builder = ET.TreeBuilder()
    parser = pyexpat.ParserCreate()

    def refuse_doctype(*args):
        raise ET.ParseError("een DOCTYPE of entiteit is niet toegestaan")

    def start(tag, attrs):
        elem = builder.start(tag, dict(zip(attrs[::2], attrs[1::2], strict=True)))
        lines[id(elem)] = parser.CurrentLineNumber
        return elem

    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError as error:
        raise ET.ParseError(str(error)) from None
    return builder.close(), lines


def _where(error, lines: dict[int, int]) -> tuple[int | None, str]:
    elem = getattr(error, "elem", None)
    if elem is None:
        return None, ""
    return lines.get(id(elem)), str(elem.tag)


def parse_edexml(data: bytes, filename: str, *, brin: str, location_code: str) -> ImportSet:
    try:
        root, lines = _parse_with_lines(data)
    except ET.ParseError as error:
        raise ImportProblems([Problem(None, "", f"het bestand is geen geldige XML ({error}).")]) from None
    errors = list(schema().iter_errors(root))
    if errors:
        raise ImportProblems([Problem(*_where(e, lines), _explain(e)) for e in errors])
    collector = Collector()  # one file: its name adds nothing to the message
    school = root.find("school")
    file_brin, file_location = _text(school, "brincode"), _text(school, "dependancecode") or "00"
    if file_brin and (file_brin != brin or file_location != (location_code or "00")):
        collector.add(
            None,
            "brincode",
            f"dit bestand is van BRIN {file_brin} vestiging {file_location}, niet van deze school "
            f"({brin} {location_code or '00'}).",
        )
        collector.raise_if_any()
    start_year = int(_text(school, "schooljaar")[:4])
    result = ImportSet(school_year_start=datetime.date(start_year, 8, 1).isoformat(), has_assignments=True)

    group_names: dict[str, str] = {}
    for group in root.iterfind("groepen/groep"):
        name = _text(group, "naam")
        if name in group_names.values():
            # Groups are matched by name within a school year: two with one name cannot both exist.
            collector.add(lines.get(id(group)), "naam", f"de groep '{name}' staat twee keer in het bestand.")
            continue
        group_names[group.get("key")] = name
        result.groups.append(GroupRecord(name, year_level_from(_text(group, "jaargroep"))))
    collector.raise_if_any()

    for student in root.iterfind("leerlingen/leerling"):
        basisgroep = student.find("groep")
        first = _text(student, "roepnaam") or _text(student, "voornamen").split(" ")[0]
        result.students.append(
            StudentRecord(
                student_number=student.get("key"),
                first_name=first,
                name_prefix=_text(student, "voorvoegsel"),
                last_name=_text(student, "achternaam") or first,
                date_of_birth=_text(student, "geboortedatum") or None,
                email=_text(student, "emailadres").lower(),
                group=group_names.get(basisgroep.get("key"), "") if basisgroep is not None else "",
                line=lines.get(id(student)),
            )
        )
    check_students(result.students, collector, "leerling/@key")

    for teacher in root.iterfind("leerkrachten/leerkracht"):
        raw_email = _text(teacher, "emailadres")
        if not raw_email:
            continue  # staff are matched by e-mail; without one the teacher cannot sign in anyway
        try:
            email = check_email(raw_email)
        except ValueError as error:
            collector.add(lines.get(id(teacher)), "emailadres", str(error))
            continue
        result.staff.append(
            StaffRecord(
                email=email,
                first_name=_text(teacher, "roepnaam") or _text(teacher, "voornamen"),
                name_prefix=_text(teacher, "voorvoegsel"),
                last_name=_text(teacher, "achternaam") or _text(teacher, "roepnaam"),
            )
        )
        for ref in teacher.iterfind("groepen/groep"):
            if ref.get("key") in group_names:
                result.assignments.append(AssignmentRecord(email, group_names[ref.get("key")]))
    collector.raise_if_any()
    return result
