"""Versions on dates, immutability, duplicate content, diffs, ``require_code`` and the shipped
dictionaries, on the real database (rolled back after each test)."""

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.pagination import PageParams
from registry.formats.nsi import read_table
from registry.nsi import require_code, service
from registry.nsi.catalog import DOCUMENT_TYPE
from registry.nsi.errors import NothingToImport, UnknownCode, VersionExists
from registry.nsi.imports import ImportOutcome, diff_report, ensure_dictionary, load_version
from registry.nsi.mapping import map_rows
from registry.nsi.repository import NsiRepository
from registry.nsi.shipped import load_shipped

HEADER = "IDDoc;DocName;DocSer;DocNum;DATEBEG;DATEEND\n"
V1 = (
    "01;Паспорт гражданина СССР;R-ББ;999999;;31.12.2005\n"
    "03;Свидетельство о рождении;R-ББ;999999;;\n"
    "05;Справка об освобождении;;;;\n"
    "21;Паспорт гражданина РФ;99 99;999999;;\n"
)
# v2: 05 removed, 21 renamed, 03 mask changed, 22 added; 01 unchanged
V2 = (
    "01;Паспорт гражданина СССР;R-ББ;999999;;31.12.2005\n"
    "03;Свидетельство о рождении;R-ББ;9999999;;\n"
    "21;Паспорт гражданина Российской Федерации;99 99;999999;;\n"
    "22;Загранпаспорт гражданина Российской Федерации;99;9999999;;\n"
)


async def load(session: AsyncSession, body: str, version: str, valid_from: date) -> ImportOutcome:
    dictionary = await ensure_dictionary(session, DOCUMENT_TYPE.code)
    assert dictionary is not None
    mapped = map_rows(
        read_table((HEADER + body).encode()), DOCUMENT_TYPE.columns, version_valid_from=valid_from
    )
    return await load_version(session, dictionary, mapped, version=version, valid_from=valid_from)


async def test_the_version_in_force_and_the_entries_valid_on_a_date(session: AsyncSession) -> None:
    await load(session, V1, "1.0", date(2001, 1, 1))
    second = await load(session, V2, "2.0", date(2020, 1, 1))
    assert second.created and second.previous_version == "1.0"
    assert second.diff == {"added": 1, "removed": 1, "changed": 2, "unchanged": 1}

    # 05 exists only in the first version; 22 only from the second on
    assert (await require_code(session, "document_type", "05", on=date(2019, 12, 31), field="t")).code == "05"
    with pytest.raises(UnknownCode, match=r"«05».*версия 2\.0"):
        await require_code(session, "document_type", "05", on=date(2020, 1, 1), field="id_document.type")
    with pytest.raises(UnknownCode):
        await require_code(session, "document_type", "22", on=date(2019, 6, 1), field="t")
    entry = await require_code(session, "document_type", "21", on=date(2020, 1, 1), field="t")
    assert entry.name == "Паспорт гражданина Российской Федерации"
    old = await require_code(session, "document_type", "21", on=date(2015, 1, 1), field="t")
    assert old.name == "Паспорт гражданина РФ"
    # an entry's own period: the USSR passport ended in 2005, in both versions
    assert (await require_code(session, "document_type", "01", on=date(2005, 12, 31), field="t")).code == "01"
    with pytest.raises(UnknownCode) as refused:
        await require_code(session, "document_type", "01", on=date(2006, 1, 1), field="id_document.type")
    assert refused.value.status == 422 and refused.value.field == "id_document.type"
    assert "id_document.type" in refused.value.detail
    # before the first version nothing is in force
    with pytest.raises(UnknownCode, match="не загружен"):
        await require_code(session, "document_type", "21", on=date(2000, 12, 31), field="t")


async def test_identical_content_makes_no_new_version_and_versions_are_immutable(
    session: AsyncSession,
) -> None:
    first = await load(session, V1, "1.0", date(2011, 1, 1))
    again = await load(session, "".join(reversed(V1.splitlines(keepends=True))), "1.1", date(2012, 1, 1))
    assert not again.created and again.same_as == "1.0" and again.version_id == first.version_id
    assert "новая версия не создана" in again.summary()["message"]
    with pytest.raises(VersionExists):
        await load(session, V2, "1.0", date(2013, 1, 1))
    with pytest.raises(NothingToImport):
        await load(session, ";нет кода;;;;\n", "3.0", date(2014, 1, 1))
    dictionary = await NsiRepository(session).dictionary("document_type")
    assert dictionary is not None
    assert [v.version for v in await NsiRepository(session).versions(dictionary.id)] == ["1.0"]


async def test_diff_between_versions_names_the_changed_fields(session: AsyncSession) -> None:
    await load(session, V1, "1.0", date(2011, 1, 1))
    second = await load(session, V2, "2.0", date(2020, 1, 1))
    dictionary = await service.get_dictionary(session, "document_type")
    old, new = await service.diff_sides(
        session, dictionary, from_version=None, to_version="2.0", today=date.today()
    )
    page = await service.diff_page(session, old, new, PageParams(limit=2, offset=0))
    assert page.total == 4 and page.summary.unchanged == 1
    assert [(r.code, r.status) for r in page.items] == [("03", "changed"), ("05", "removed")]
    assert page.items[0].changed_fields == ["attributes.DocNum"]
    assert page.items[1].new is None and page.items[1].old is not None
    rest = await service.diff_page(session, old, new, PageParams(limit=10, offset=2))
    assert [(r.code, r.status, r.changed_fields) for r in rest.items] == [
        ("21", "changed", ["name"]),
        ("22", "added", []),
    ]
    only_added = await service.diff_page(session, old, new, PageParams(), statuses=["added"])
    assert only_added.total == 1
    report = (await diff_report(session, second.previous_version_id, second.version_id)).decode("utf-8-sig")
    lines = report.splitlines()
    assert lines[0] == "Изменение;Код;Наименование (было);Наименование (стало);Изменённые поля"
    assert "изменена;21;Паспорт гражданина РФ;Паспорт гражданина Российской Федерации;name" in lines
    assert len(lines) == 5


async def test_search_by_code_prefix_or_name_with_yo(session: AsyncSession) -> None:
    await ensure_dictionary(session, "equipment_type")
    await load_shipped(session)
    dictionary = await service.get_dictionary(session, "equipment_type")
    version = await service.resolve_version(session, dictionary, version=None, on=date.today())
    by_name = await service.entries_page(
        session, version, PageParams(), on=date.today(), q="ЛЕГКИХ", parent=None
    )
    assert [e.code for e in by_name.items] == ["ICU.VENT"]  # stored as «лёгких»
    by_code = await service.entries_page(
        session, version, PageParams(), on=date.today(), q="rad.", parent=None
    )
    assert [e.code for e in by_code.items] == [
        "RAD.ANGIO",
        "RAD.CT",
        "RAD.FLG",
        "RAD.MAMMO",
        "RAD.MRI",
        "RAD.XR",
    ]
    children = await service.entries_page(session, version, PageParams(), on=None, q=None, parent="ENDO")
    assert children.total == 3
    groups = await service.entries_page(
        session, version, PageParams(limit=500), on=None, q=None, parent=None, top_level=True
    )
    assert groups.total == 9 and "ENDO" in {e.code for e in groups.items}
    assert all(e.parent_code is None and "." not in e.code for e in groups.items)
    literal = await service.entries_page(session, version, PageParams(), on=None, q="%", parent=None)
    assert literal.total == 0  # LIKE wildcards in the query are searched for literally


async def test_shipped_dictionaries_load_once(session: AsyncSession) -> None:
    loaded = await load_shipped(session)
    assert loaded["icd10"]["records"] == 12542  # WHO ICD-10 2019: chapters to subcategories
    assert loaded["document_type"]["records"] == 24
    assert set(loaded) == {"icd10", "document_type", "policy_type", "care_profile", "equipment_type"}
    assert loaded["policy_type"]["records"] == 5  # F008
    assert await load_shipped(session) == {}
    i21 = await require_code(session, "icd10", "I21.0", on=date(2024, 3, 1), field="diagnosis")
    assert i21.parent_code == "I21" and "myocardial infarction" in i21.name
    assert (
        await require_code(session, "document_type", "14", on=date(2024, 3, 1), field="t")
    ).name == "Паспорт гражданина Российской Федерации"
