"""The dictionaries the registry knows: identity, owner and the columns of their export files.
A dictionary row is created from here the first time it is needed (seed or first import)."""

from __future__ import annotations

from dataclasses import dataclass

from registry.nsi.mapping import ColumnMap


@dataclass(frozen=True)
class DictionaryDefinition:
    code: str
    identifier: str | None  # OID on nsi.rosminzdrav.ru, or the FFOMS classifier's name
    name: str
    description: str
    owner: str
    columns: ColumnMap


ICD10 = DictionaryDefinition(
    code="icd10",
    identifier="1.2.643.5.1.13.13.11.1005",
    name="МКБ-10",
    description=(
        "Международная статистическая классификация болезней и проблем, связанных со здоровьем, "
        "10-го пересмотра. Колонки — как в выгрузке портала НСИ Минздрава "
        "(ID, REC_CODE, MKB_CODE, MKB_NAME, ID_PARENT, ADDL_CODE, ACTUAL, DATE)."
    ),
    owner="Минздрав России (портал НСИ); ВОЗ",
    columns=ColumnMap(code="MKB_CODE", name="MKB_NAME", id="ID", parent="ID_PARENT", active="ACTUAL"),
)

DOCUMENT_TYPE = DictionaryDefinition(
    code="document_type",
    identifier="F011",
    name="Типы документов, удостоверяющих личность (F011)",
    description="Классификатор ФФОМС F011. Колонки: IDDoc, DocName, DocSer, DocNum, DATEBEG, DATEEND.",
    owner="ФФОМС",
    columns=ColumnMap(code="IDDoc", name="DocName", valid_from="DATEBEG", valid_to="DATEEND"),
)

POLICY_TYPE = DictionaryDefinition(
    code="policy_type",
    identifier="F008",
    name="Типы документов, подтверждающих факт страхования по ОМС (F008)",
    description="Классификатор ФФОМС F008. Колонки: IDDOC, DOCNAME, DATEBEG, DATEEND.",
    owner="ФФОМС",
    columns=ColumnMap(code="IDDOC", name="DOCNAME", valid_from="DATEBEG", valid_to="DATEEND"),
)

CARE_PROFILE = DictionaryDefinition(
    code="care_profile",
    identifier=None,
    name="Профили медицинской помощи (справочник проекта)",
    description=(
        "Собственный справочник проекта: укрупнённые профили для паспорта МО и лицензий. "
        "Колонки: CODE, NAME, DATEBEG, DATEEND."
    ),
    owner="OMS Region (собственный справочник)",
    columns=ColumnMap(code="CODE", name="NAME", valid_from="DATEBEG", valid_to="DATEEND"),
)

EQUIPMENT_TYPE = DictionaryDefinition(
    code="equipment_type",
    identifier=None,
    name="Виды медицинского оборудования (справочник проекта)",
    description=(
        "Собственный справочник проекта для реестра оборудования МО: группы и виды. "
        "Колонки: CODE, NAME, PARENT, DATEBEG, DATEEND."
    ),
    owner="OMS Region (собственный справочник)",
    columns=ColumnMap(code="CODE", name="NAME", parent="PARENT", valid_from="DATEBEG", valid_to="DATEEND"),
)

DEFINITIONS: dict[str, DictionaryDefinition] = {
    d.code: d for d in (ICD10, DOCUMENT_TYPE, POLICY_TYPE, CARE_PROFILE, EQUIPMENT_TYPE)
}
