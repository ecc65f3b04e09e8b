"""The catalogue's CSV load through the API: windows-1251 file, bad lines reported with their
number and column while the good ones apply, a second GTIN joining its drug, an idempotent
re-load, a changed line updating, and a file without the columns refused."""

from __future__ import annotations

from typing import Any

import httpx

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import complete_gtin

from .test_drugs_api import doctor, keeper

HEADER = "МНН;ТорговоеНаименование;ЛекарственнаяФорма;Дозировка;КоличествоВУпаковке;GTIN;АТХ;ЖНВЛП;Перечни"
G1, G2, G3 = (complete_gtin(f"460700010{n:04d}") for n in (1, 2, 3))
BAD = G3[:-1] + str((int(G3[-1]) + 1) % 10)
ROWS = [
    f"Метформин;Сиофор;таблетки, покрытые оболочкой;500 мг;60;{G1};A10BA02;1;onls,regional",
    f"Метформин;Сиофор;таблетки, покрытые оболочкой;500 мг;60;{G2};A10BA02;1;onls,regional",
    f"Эналаприл;Энап;таблетки;10 мг;20;{BAD};C09AA02;1;onls",
    f"Эналаприл;Энап;таблетки;10 мг;ноль;{G3};C09AA02;1;onls",
    f"Эналаприл;Энап;таблетки;10 мг;20;{G3};C09AA02;1;nosuch",
    f";Энап;таблетки;10 мг;20;{G3};C09AA02;1;onls",
    f"Метформин;Сиофор;таблетки, покрытые оболочкой;500 мг;60;{G1};A10BA02;1;onls",
]


def csv_file(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("cp1251")


async def _load(client: httpx.AsyncClient, tokens: TokenFactory, data: bytes) -> dict[str, Any]:
    answer = await client.post(
        "/drugs/loads", content=data, headers={**keeper(tokens), "Content-Type": "text/csv"}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_the_load_reports_bad_lines_and_applies_the_good_ones(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    report = await _load(client, tokens, csv_file(*ROWS))
    assert (report["lines"], report["created"], report["updated"]) == (7, 1, 1)
    problems = {(p["line"], p["field"]) for p in report["problems"]}
    assert problems == {(4, "GTIN"), (5, "КоличествоВУпаковке"), (6, "Перечни"), (7, "МНН"), (8, "GTIN")}
    assert any("контрольная цифра" in p["message"] for p in report["problems"] if p["line"] == 4)
    assert any("строке 2" in p["message"] for p in report["problems"] if p["line"] == 8)

    found = await client.get(f"/drugs/by-gtin/{G2}", headers=doctor(tokens))
    assert found.status_code == 200, found.text
    drug = found.json()
    assert drug["gtins"] == sorted([G1, G2])
    assert drug["drug_lists"] == ["onls", "regional"]
    assert drug["vital"] is True and drug["marked"] is True
    none = await client.get("/drugs", params={"inn": "Эналаприл"}, headers=doctor(tokens))
    assert none.json()["total"] == 0

    again = await _load(client, tokens, csv_file(*ROWS))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert (await client.get("/drugs", headers=doctor(tokens))).json()["total"] == 1

    changed = await _load(
        client,
        tokens,
        csv_file(f"Метформин;Сиофор;таблетки, покрытые оболочкой;500 мг;60;{G1};A10BA02;0;vzn"),
    )
    assert (changed["created"], changed["updated"], changed["unchanged"]) == (0, 1, 0)
    after = (await client.get(f"/drugs/by-gtin/{G2}", headers=doctor(tokens))).json()
    assert after["vital"] is False
    assert after["drug_lists"] == ["vzn"]


async def test_a_file_without_the_columns_or_rights_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    bad = await client.post(
        "/drugs/loads", content=b"a;b\r\n1;2", headers={**keeper(tokens), "Content-Type": "text/csv"}
    )
    assert bad.status_code == 422
    assert "МНН" in bad.json()["detail"]
    forbidden = await client.post(
        "/drugs/loads", content=csv_file(*ROWS[:1]), headers={**doctor(tokens), "Content-Type": "text/csv"}
    )
    assert forbidden.status_code == 403
    assert (await client.get("/drugs", headers=doctor(tokens))).json()["total"] == 0
