"""EDEXML 1.0.x, 2.0 and 2.1 (EDEX.XML as ParnasSys and ESIS export it): validated against the published XSD.

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

from .edexml_reasons import explain
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
    child = element.find(tag) if element is not None else None
    return (child.text or "").strip() if child is not None and child.text else ""


XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Versions whose files validate against the published 2.1 schema (2.1 only adds checks; no public
# 1.0.x schema exists, and 1.0.x files fit the 2.x structure). Anything else is named and refused.
SUPPORTED_VERSIONS = ("1.0", "1.01", "1.02", "1.03", "1.0.3", "2.0", "2.1")


_EXPAT_NL = {
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_NO_ELEMENTS]: "het bestand is leeg of bevat geen elementen",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_INVALID_TOKEN]: "ongeldig teken",
    pyexpat.errors.codes[
        pyexpat.errors.XML_ERROR_UNCLOSED_TOKEN
    ]: "het bestand houdt midden in een element op",
    pyexpat.errors.codes[
        pyexpat.errors.XML_ERROR_TAG_MISMATCH
    ]: "een sluitend element past niet bij het openende",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_UNDEFINED_ENTITY]: "onbekende entiteit (zoals &naam;)",
    pyexpat.errors.codes[
        pyexpat.errors.XML_ERROR_UNBOUND_PREFIX
    ]: "een voorvoegsel (prefix:) zonder namespace",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE]: "een attribuut staat twee keer",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_SYNTAX]: "syntaxfout",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_UNKNOWN_ENCODING]: "onbekende tekenset",
    pyexpat.errors.codes[pyexpat.errors.XML_ERROR_INCORRECT_ENCODING]: "de tekenset klopt niet met de inhoud",
}


def _parse_with_lines(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse namespace-aware with expat, remembering each element's line; a DOCTYPE is refused.

    Real exports declare `xmlns:xsi` (and sometimes a default `xmlns`) on the root and carry
    `xsi:schemaLocation` / `xsi:type`: those are namespace declarations and schema-instance
    attributes, not content (issue 8). Elements in the root's default namespace are read as the
    no-namespace EDEXML elements the published schema defines.
    """
    lines: dict[int, int] = {}
    builder = ET.TreeBuilder()
    parser = pyexpat.ParserCreate(namespace_separator="}")
    default_ns: list[str] = []

    def name(raw: str, element: bool) -> str:
        if "}" not in raw:
            return raw
        uri, local = raw.rsplit("}", 1)
        if element and not default_ns:
            default_ns.append(uri)  # the root's namespace is EDEXML's, whatever its URI
        if element and uri == default_ns[0]:
            return local
        return f"{{{uri}}}{local}"

    def refuse_doctype(*args):
        raise ET.ParseError("een DOCTYPE of entiteit is niet toegestaan")

    def start(tag, attrs):
        pairs = zip(attrs[::2], attrs[1::2], strict=True)
        elem = builder.start(name(tag, True), {name(k, False): v for k, v in pairs})
        lines[id(elem)] = parser.CurrentLineNumber
        return elem

    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag, True))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError as error:
        reason = _EXPAT_NL.get(error.code, pyexpat.errors.messages[error.code])
        raise ImportProblems(
            [
                Problem(
                    error.lineno,
                    "",
                    f"het bestand is geen geldige XML: {reason} (positie {error.offset + 1}).",
                )
            ]
        ) from None
    return builder.close(), lines


def _drop_vendor_blocks(root: ET.Element) -> int:
    """Remove `<toevoegingen>` (ParnasSys/ESIS/LVS blocks typed by schemas that are not public).

    The standard part is validated and read; what a vendor adds is not ours to know. Returns how
    many blocks were skipped.
    """
    skipped = 0
    for parent in root.iter():
        for child in [c for c in parent if c.tag == "toevoegingen"]:
            parent.remove(child)
            skipped += 1
    return skipped


def _check_version(root: ET.Element) -> str:
    if root.tag != "EDEX":
        raise ImportProblems(
            [Problem(1, "", f"dit is geen EDEXML-bestand: het begint met <{root.tag}> in plaats van <EDEX>.")]
        )
    version = _text(root.find("school"), "xsdversie") or "2.1"
    if version not in SUPPORTED_VERSIONS:
        raise ImportProblems(
            [
                Problem(
                    None,
                    "xsdversie",
                    f"EDEXML-versie {version} wordt niet ondersteund; wel 1.0.x (zoals 1.03), 2.0 en 2.1. "
                    "Exporteer uit ParnasSys of ESIS als EDEXML 2.1, of als CSV- of Excelbestand.",
                )
            ]
        )
    return version


def _where(error, lines: dict[int, int]) -> tuple[int | None, str]:
    elem = getattr(error, "elem", None)
    if elem is None:
        return None, ""
    return lines.get(id(elem)), str(elem.tag)


def parse_edexml(data: bytes, filename: str, *, brin: str, location_code: str) -> ImportSet:
    try:
        root, lines = _parse_with_lines(data)
    except ET.ParseError as error:  # a DOCTYPE or entity declaration
        raise ImportProblems([Problem(None, "", f"het bestand is geen geldige XML ({error}).")]) from None
    _check_version(root)
    _drop_vendor_blocks(root)
    errors = list(schema().iter_errors(root))
    if errors:
        raise ImportProblems([Problem(*_where(e, lines), explain(e)) for e in errors])
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
                left_on=_text(student, "uitstroomdatum") or None,
            )
        )
    check_students(result.students, collector, "leerling/@key")

    for teacher in root.iterfind("leerkrachten/leerkracht"):
        raw_email = _text(teacher, "emailadres")
        email = ""
        if raw_email:
            try:
                email = check_email(raw_email)
            except ValueError as error:
                collector.add(lines.get(id(teacher)), "emailadres", str(error))
                continue
        # Without an address the teacher is still imported: staff without a log-in (issue 8),
        # known by the export's key until the school adds an address.
        record = StaffRecord(
            email=email,
            first_name=_text(teacher, "roepnaam") or _text(teacher, "voornamen"),
            name_prefix=_text(teacher, "voorvoegsel"),
            last_name=_text(teacher, "achternaam") or _text(teacher, "roepnaam"),
            staff_number=teacher.get("key", ""),
        )
        result.staff.append(record)
        for ref in teacher.iterfind("groepen/groep"):
            if ref.get("key") in group_names:
                result.assignments.append(AssignmentRecord(record.key, group_names[ref.get("key")]))
    collector.raise_if_any()
    return result
