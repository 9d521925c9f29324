"""Workbooks written part by part, for files no spreadsheet program would write: a value in
XFD1048576, a zip bomb, cells without references. Each sheet is given as the XML inside
<sheetData>; the rest of the package is the least Excel and calamine need."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Relatienummer</t></is></c></row>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: str, dimension: str = "A1", prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<{p}worksheet {xmlns}="{MAIN}"><{p}dimension ref="{dimension}"/>'
        f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>"
    )


def write_raw(
    path: Path,
    sheets: dict[str, str],
    *,
    shared_strings: str | None = None,
    extra_parts: dict[str, bytes] | None = None,
) -> Path:
    """sheets: name -> the whole sheet XML (see sheet_xml)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>'
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    sheet_list = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
        f"<sheets>{sheet_list}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        rels += (
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{DOC}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{RELS}">{rels}'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for i, xml in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return path


def shared_strings_xml(strings: list[str]) -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    )
