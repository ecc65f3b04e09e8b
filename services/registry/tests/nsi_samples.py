"""Files in the shapes of the federal NSI portal's ICD-10 export (OID 1.2.643.5.1.13.13.11.1005).
The rows are the portal's own (version 2.27, class I, block A00-A09), cut short."""

import json

ICD_COLUMNS = ["ID", "REC_CODE", "MKB_CODE", "MKB_NAME", "ID_PARENT", "ADDL_CODE", "ACTUAL", "DATE"]
ICD_ROWS = [
    ["1", "01", "I", "НЕКОТОРЫЕ ИНФЕКЦИОННЫЕ И ПАРАЗИТАРНЫЕ БОЛЕЗНИ", "", "", "1", ""],
    ["2", "0101", "A00-A09", "КИШЕЧНЫЕ ИНФЕКЦИИ", "1", "", "1", ""],
    ["3", "0101A00", "A00", "Холера", "2", "", "1", ""],
    ["4", "0101A000", "A00.0", "Холера, вызванная холерным вибрионом 01, биовар cholerae", "3", "", "1", ""],
    ["5", "0101A001", "A00.1", "Холера, вызванная холерным вибрионом 01, биовар eltor", "3", "", "1", ""],
    ["6", "0101A009", "A00.9", "Холера неуточненная", "3", "", "1", ""],
    ["16", "0101A022", "A02.2", "Локализованная сальмонеллезная инфекция", "2", "1", "1", ""],
    [
        "70",
        "0101A09",
        "A09",
        "Другой гастроэнтерит и колит инфекционного и неуточненного происхождения",
        "2",
        "",
        "1",
        "",
    ],
    [
        "14794",
        "0101A090",
        "A09.0",
        "Другой и неуточненный гастроэнтерит и колит инфекционного происхождения",
        "70",
        "",
        "1",
        "01.01.2015",
    ],
]


def icd_csv(rows: list[list[str]] = ICD_ROWS, *, bom: bool = True) -> bytes:
    """As the portal's CSV: ``;``, text values in double quotes, numbers bare, UTF-8 (BOM)."""
    lines = [";".join(ICD_COLUMNS)]
    for row in rows:
        cells = [v if (v.isdigit() or v == "") and i in (0, 4, 5, 6) else f'"{v}"' for i, v in enumerate(row)]
        lines.append(";".join(cells))
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode()


def icd_portal_json(rows: list[list[str]] = ICD_ROWS) -> bytes:
    """As ``/port/rest/data`` answers: a list of rows, each a list of column/value pairs."""
    listed = [
        [{"column": c, "value": v or None} for c, v in zip(ICD_COLUMNS, row, strict=True)] for row in rows
    ]
    return json.dumps({"result": "OK", "resultText": None, "list": listed, "total": len(rows)}).encode()


def icd_records_json(rows: list[list[str]] = ICD_ROWS) -> bytes:
    """A plain JSON array of records keyed by the dictionary's column names."""
    records = [{c: (v or None) for c, v in zip(ICD_COLUMNS, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False).encode()
