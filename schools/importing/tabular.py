"""Reading CSV and XLSX exports (Magister, SOMtoday, …) into header + numbered rows.

CSV: semicolon-separated (comma or tab are recognised too), UTF-8 with or without BOM, or
Windows-1252 as Excel writes it on Dutch Windows. Bytes that fit neither are reported with the line
they are on, never guessed.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from .records import Collector, ImportProblems, Problem

Row = tuple[int, list[str]]  # (line number in the file, cells)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, filename: str = "") -> str:
    """UTF-8 (BOM or not), else Windows-1252; otherwise a Dutch problem naming the line."""
    if b"\x00" in data[:4096]:
        raise ImportProblems(
            [
                Problem(
                    1,
                    "",
                    "het bestand is geen tekstbestand in UTF-8 of Windows-1252 (misschien UTF-16 "
                    "of een ander formaat). Sla het op als 'CSV UTF-8 (puntkomma-gescheiden)'.",
                    filename,
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            byte = data[error.start : error.start + 1].hex().upper()
            line = _line_of(data, error.start)
            first_bad = _line_of(data, utf8_error.start)
            message = (
                f"teken 0x{byte} is niet te lezen als UTF-8 (fout op regel {first_bad})"
                " en ook niet als Windows-1252. Sla het bestand op als 'CSV UTF-8'."
            )
            raise ImportProblems([Problem(line, "", message)]) from None


def _dialect_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_csv(data: bytes, filename: str = "") -> tuple[list[str], list[Row]]:
    text = decode(data, filename)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect_delimiter(first_line))
    headers: list[str] | None = None
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if headers is None:
                headers = cells
            elif any(cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportProblems([Problem(line, "", f"de regel is geen geldige CSV ({error}).")]) from None
    if not headers or not any(headers):
        raise ImportProblems([Problem(1, "", "het bestand is leeg of heeft geen kopregel.")])
    return headers, rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes, filename: str = "") -> tuple[list[str], list[Row]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportProblems(
            [Problem(None, "", "het bestand is geen geldig Excel-bestand (.xlsx).")]
        ) from None
    sheet = workbook.worksheets[0]
    headers: list[str] | None = None
    rows: list[Row] = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if headers is None:
            if any(cells):
                headers = cells
            continue
        if any(cells):
            rows.append((line, cells))
    workbook.close()
    if not headers:
        raise ImportProblems([Problem(1, "", "het eerste werkblad is leeg.")])
    return headers, rows


def read_table(data: bytes, filename: str) -> tuple[list[str], list[Row]]:
    """Header and data rows of a CSV or XLSX file (decided by content, not by extension)."""
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, filename)
    return read_csv(data, filename)


def normalize_header(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def cells_by_header(headers: list[str], cells: list[str]) -> dict[str, str]:
    return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)}


__all__ = ["Collector", "Row", "cells_by_header", "decode", "normalize_header", "read_table"]
