"""Each source reads its answer files, CSV and XML, in the documented layouts (docs/formats.md,
«Verification: source answers»), and rejects bad rows with a Russian reason while reading on."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest

from oms_kit.identifiers import complete_snils
from verification.linkage.records import PersonRecord
from verification.sources import ADAPTERS, RowRejection, SourceRecord, UnsupportedFormat, adapter_for

SNILS = complete_snils("112233445")
TODAY = date(2026, 11, 24)


def read(code: str, data: bytes | str, media_type: str) -> list[SourceRecord | RowRejection]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(adapter_for(code).read_answer_file(io.BytesIO(raw), media_type, today=TODAY))


def records(items: list[SourceRecord | RowRejection]) -> list[SourceRecord]:
    assert all(isinstance(i, SourceRecord) for i in items), [i for i in items if isinstance(i, RowRejection)]
    return [i for i in items if isinstance(i, SourceRecord)]


def test_fns_egrip_xml() -> None:
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Файл ИдФайл="1" ВерсФорм="4.05">
  <Документ ИдДок="a">
    <СвИП ОГРНИП="304500000000011" ДатаОГРНИП="2024-03-01" ИННФЛ="500100000001">
      <СвФЛ Пол="2" СНИЛС="{SNILS}">
        <ФИОРус Фамилия="Сёмина" Имя="Анна" Отчество="Петровна"/>
        <СвРождФЛ ДатаРожд="1985-07-12"/>
        <УдЛичнФЛ КодВидДок="21" СерНомДок="45 01 123456"/>
      </СвФЛ>
      <СвПрекращ>
        <СвСтатус КодСтатус="201" НаимСтатус="Прекращение деятельности" ДатаПрекращ="2025-05-31"/>
      </СвПрекращ>
    </СвИП>
  </Документ>
</Файл>"""
    [ip] = records(read("fns", xml, "application/xml"))
    assert (ip.kind, ip.surname, ip.first_name, ip.patronymic) == (
        "fns.entrepreneur",
        "Сёмина",
        "Анна",
        "Петровна",
    )
    assert (ip.birth_date, ip.sex, ip.snils, ip.inn) == (date(1985, 7, 12), "female", SNILS, "500100000001")
    assert (ip.doc_type, ip.doc_series, ip.doc_number) == ("14", "4501", "123456")  # СПДУЛ 21 → F011 14
    assert (ip.date_from, ip.date_to) == (date(2024, 3, 1), date(2025, 5, 31))
    assert ip.attributes == {"ogrnip": "304500000000011"} and ip.external_id == "304500000000011"


def test_fns_income_xml_one_record_per_month() -> None:
    xml = """<Файл><Документ>
  <СправДох ИННЮЛ="5001000000">
    <ПолучДох ИННФЛ="500100000001" ДатаРожд="12.07.1985"><ФИО Фамилия="Семина" Имя="Анна"/></ПолучДох>
    <СвСумДох Месяц="2025-02" КодДоход="2000" СумДоход="45 000,50"/>
    <СвСумДох Месяц="03.2025" КодДоход="2000" СумДоход="46000"/>
  </СправДох>
</Документ></Файл>"""
    feb, mar = records(read("fns", xml, "application/xml"))
    assert (feb.kind, feb.date_from, feb.date_to) == ("fns.income", date(2025, 2, 1), date(2025, 2, 28))
    assert (mar.date_from, mar.date_to) == (date(2025, 3, 1), date(2025, 3, 31))
    assert feb.attributes == {"employer_inn": "5001000000", "amount": "45000.50", "income_code": "2000"}
    assert mar.attributes["amount"] == "46000.00"
    assert feb.birth_date == date(1985, 7, 12) and feb.patronymic is None


def test_sfr_xml_months_under_the_insured_person() -> None:
    xml = f"""<ЭДСФР><Документ>
  <ЗЛ><СНИЛС>{SNILS[:3]}-{SNILS[3:6]}-{SNILS[6:9]} {SNILS[9:]}</СНИЛС>
    <ФИО><Фамилия>Иванов</Фамилия><Имя>Иван</Имя><Отчество>Иванович</Отчество></ФИО>
    <ДатаРождения>1970-01-31</ДатаРождения>
    <Страхователь РегНомер="087-101-000001" ИНН="5001000000"/>
    <СведенияОВыплатах Месяц="2025-01" СуммаВыплат="30000"/>
    <СведенияОВыплатах Месяц="2025-02" СуммаВыплат="31000"/>
  </ЗЛ>
</Документ></ЭДСФР>"""
    jan, feb = records(read("sfr", xml, "text/xml"))
    assert jan.snils == SNILS and jan.surname == "Иванов" and jan.birth_date == date(1970, 1, 31)
    assert jan.attributes == {
        "employer_reg_number": "087-101-000001",
        "employer_inn": "5001000000",
        "amount": "30000.00",
    }
    assert (feb.date_from, feb.date_to, feb.attributes["amount"]) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
        "31000.00",
    )


def test_zags_death_and_name_change_xml() -> None:
    xml = f"""<Файл><Документ>
  <СведРегСмерт НомерЗапис="170259000001" ДатаЗапис="2025-06-04">
    <СведУмер ДатаРожд="1940-02-03" Пол="1" СНИЛС="{SNILS}">
      <ФИО Фамилия="Петров" Имя="Пётр" Отчество="Ильич"/>
    </СведУмер>
    <СведСмерт ДатаСмерт="2025-06-02"/>
  </СведРегСмерт>
  <СведРегПерИмени НомерЗапис="170259000002" ДатаЗапис="2025-08-15">
    <СведЛицо ДатаРожд="1990-04-05" Пол="2">
      <ФИОДо Фамилия="Кузнецова" Имя="Мария" Отчество="Олеговна"/>
      <ФИОПосле Фамилия="Смирнова" Имя="Мария" Отчество="Олеговна"/>
    </СведЛицо>
  </СведРегПерИмени>
</Документ></Файл>"""
    death, change = records(read("zags", xml, "application/xml"))
    assert (death.kind, death.date_from, death.surname, death.sex) == (
        "zags.death",
        date(2025, 6, 2),
        "Петров",
        "male",
    )
    assert death.attributes == {"act_number": "170259000001", "act_date": "2025-06-04"}
    assert (change.kind, change.date_from, change.surname) == (
        "zags.name_change",
        date(2025, 8, 15),
        "Кузнецова",
    )
    assert change.attributes["new_surname"] == "Смирнова"


def test_mvd_passport_and_missing_xml() -> None:
    xml = """<Файл><Документ>
  <document surname="Орлов" name="Олег" patronymic="Олегович" birthday="1980-10-10" doc_type="21"
            pass_series="4510" pass_number="654321" document_status="NOT_VALID"
            invalidity_reason="replaced" invalidity_date="2025-04-01">
    <new_document pass_series="4520" pass_number="111222"/>
  </document>
  <СведБезвестОтсут НомерДела="77-12" Дата="2025-03-03" ДатаРожд="1975-01-01" Пол="1">
    <ФИО Фамилия="Волков" Имя="Игорь"/>
  </СведБезвестОтсут>
</Документ></Файл>"""
    passport, missing = records(read("mvd", xml, "application/xml"))
    assert (passport.kind, passport.doc_series, passport.doc_number) == (
        "mvd.passport_invalid",
        "4510",
        "654321",
    )
    assert passport.attributes == {"reason": "replaced", "new_series": "4520", "new_number": "111222"}
    assert passport.date_from == date(2025, 4, 1)
    assert (missing.kind, missing.date_from, missing.attributes) == (
        "mvd.missing",
        date(2025, 3, 3),
        {"case_number": "77-12"},
    )


def test_military_csv_single_kind_without_kind_column() -> None:
    csv = (
        "Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;Дата начала;Дата окончания;Вид службы\r\n"
        f"Соколов;Артём;Игоревич;01.02.2003;М;{SNILS};15.11.2024;;по призыву\r\n"
        "Соколов;Илья;Игоревич;01.02.1995;М;;01.01.2025;;Контракт\r\n"
    )
    first, second = records(read("military", csv, "text/csv"))
    assert (first.kind, first.date_from, first.date_to) == ("military.service", date(2024, 11, 15), None)
    assert first.attributes == {"service_type": "conscript"} and second.attributes == {
        "service_type": "contract"
    }
    assert first.row_no == 2 and second.row_no == 3


@pytest.mark.parametrize("code", sorted(ADAPTERS))
@pytest.mark.parametrize("media_type", ["text/csv", "application/xml"])
def test_written_answer_reads_back(code: str, media_type: str) -> None:
    adapter = ADAPTERS[code]
    person = {
        "surname": "Лебедева",
        "first_name": "Ольга",
        "patronymic": "Ивановна",
        "birth_date": date(1966, 9, 30),
        "snils": SNILS,
    }
    samples = {
        "fns.entrepreneur": {
            "date_from": date(2024, 1, 9),
            "external_id": "304500000000011",
            "attributes": {"ogrnip": "304500000000011"},
        },
        "fns.income": {
            "date_from": date(2025, 1, 1),
            "date_to": date(2025, 1, 31),
            "attributes": {"employer_inn": "5001000000", "amount": "1.00", "income_code": "2000"},
        },
        "sfr.contributions": {
            "date_from": date(2025, 1, 1),
            "date_to": date(2025, 1, 31),
            "attributes": {"employer_reg_number": "087-1", "amount": "1.00"},
        },
        "zags.death": {"date_from": date(2025, 5, 5), "external_id": "1", "attributes": {"act_number": "1"}},
        "zags.name_change": {
            "date_from": date(2025, 5, 5),
            "external_id": "2",
            "attributes": {"act_number": "2", "new_surname": "Новикова"},
        },
        "mvd.passport_invalid": {
            "date_from": date(2025, 5, 5),
            "doc_series": "4501",
            "doc_number": "123456",
            "attributes": {"reason": "lost"},
        },
        "mvd.missing": {"date_from": date(2025, 5, 5), "attributes": {}},
        "military.service": {"date_from": date(2025, 5, 5), "attributes": {"service_type": "contract"}},
    }
    written = [
        SourceRecord(source=code, kind=k, row_no=0, **person, **samples[k]) for k in adapter.kind_codes
    ]
    back = records(
        list(adapter.read_answer_file(io.BytesIO(adapter.write_answer_file(written, media_type)), media_type))
    )
    assert [r.fingerprint() for r in back] == [r.fingerprint() for r in written]


def test_csv_bad_rows_are_rejected_with_reasons_and_the_rest_read() -> None:
    header = "Вид сведений;Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Дата начала;Номер записи акта\r\n"
    good = f"Смерть;Петров;Пётр;Ильич;03.02.1940;{SNILS};02.06.2025;1\r\n"
    bad_snils = "Смерть;Петров;Пётр;Ильич;03.02.1940;112-233-445 00;02.06.2025;2\r\n"
    impossible = "Смерть;Петров;Пётр;Ильич;31.02.1940;;02.06.2025;3\r\n"
    future = "Смерть;Петров;Пётр;Ильич;03.02.1940;;02.06.2030;4\r\n"
    no_name = "Смерть;;Пётр;;03.02.1940;;02.06.2025;5\r\n"
    unknown_kind = "Развод;Петров;Пётр;;03.02.1940;;02.06.2025;6\r\n"
    data = (
        (header + good + bad_snils + impossible + future + no_name + unknown_kind).encode()
        + ("Смерть;Петров;Пётр;Ильич;03.02.1940;;02.06.2025;7\r\n".encode("cp1251"))
        + good.encode()
    )
    items = read("zags", data, "text/csv; charset=utf-8")
    rejected = {i.row_no: i for i in items if isinstance(i, RowRejection)}
    assert [i.row_no for i in items if isinstance(i, SourceRecord)] == [2, 9]
    assert rejected[3].errors == (("snils", "СНИЛС не проходит проверку контрольного числа"),)
    assert rejected[4].errors[0][0] == "birth_date" and "такой даты нет" in rejected[4].message
    assert rejected[5].errors == (("date_from", "Дата смерти в будущем"),)
    assert rejected[6].errors == (("surname", "Не указана фамилия"),)
    assert rejected[7].errors[0][0] == "kind" and "Развод" in rejected[7].message
    assert "кодировке" in rejected[8].message


def test_csv_without_a_required_column_is_rejected_whole() -> None:
    items = read(
        "zags",
        "Вид сведений;Имя;Дата рождения;Дата начала\r\nСмерть;Пётр;03.02.1940;02.06.2025\r\n",
        "text/csv",
    )
    assert items == [RowRejection(0, (("surname", "В файле нет обязательного столбца «Фамилия»"),))]


def test_csv_in_windows_1251_is_recognised() -> None:
    data = (
        "Фамилия;Имя;Дата рождения;Дата начала;Вид службы\r\nСоколов;Артём;01.02.2003;15.11.2024;призыв\r\n"
    )
    [record] = records(read("military", data.encode("cp1251"), "text/csv"))
    assert (record.surname, record.first_name) == ("Соколов", "Артём")


def test_xml_broken_midway_keeps_what_came_before() -> None:
    xml = """<Файл><Документ>
  <Военнослужащий ВидСлужбы="призыв" ДатаНач="2025-01-01" ДатаРожд="2004-01-01">
    <ФИО Фамилия="А" Имя="Б"/></Военнослужащий>
  <Военнослужащий ВидСлужбы="призыв" ДатаНач="2025-01-01" <ФИО/>
</Документ></Файл>"""
    first, broken = read("military", xml, "application/xml")
    assert isinstance(first, SourceRecord) and first.surname == "А"
    assert isinstance(broken, RowRejection) and "XML повреждён (строка 4)" in broken.message


def test_xml_with_a_dtd_is_refused() -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><Файл>&x;</Файл>'
    [rejection] = read("military", xml, "application/xml")
    assert isinstance(rejection, RowRejection) and "DTD" in rejection.message


def test_other_formats_are_refused() -> None:
    with pytest.raises(UnsupportedFormat):
        adapter_for("fns").read_answer_file(io.BytesIO(b"%PDF"), "application/pdf")


def test_request_message_carries_the_persons_and_reads_back() -> None:
    person = PersonRecord(
        "s-1", "Иванов", "Иван", None, date(1970, 1, 31), "male", SNILS, None, "21", "4501", "123456"
    )
    message_id = uuid.uuid4()
    payload = adapter_for("zags").request_message([person], message_id)
    assert f"<MessageID>{message_id}</MessageID>" in payload.decode()
    request = adapter_for("zags").read_request_message(payload)
    assert request.message_id == message_id and request.kinds == ("zags.death", "zags.name_change")
    assert request.persons == (person,)
