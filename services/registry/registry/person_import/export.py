"""The register export: persons in scope, a batch at a time, as rows of the import format
(what the register holds now about each person on the date ``on``), so an exported file
imports into another register as it is. Every exported person is audited (``export``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.person_import.staging import driver

_PAGE = """
SELECT ps.person_id FROM person_search ps JOIN person p ON p.id = ps.person_id
 WHERE p.merged_into IS NULL AND ps.person_id > $1 AND p.id > $1 {scope}
 ORDER BY ps.person_id LIMIT $2
"""
_IN_ORG = """ AND EXISTS (SELECT 1 FROM person_fact f WHERE f.person_id = ps.person_id AND f.kind = '{kind}'
   AND f.org_id = ${n} AND f.valid @> ${on}::date AND upper_inf(f.recorded))"""
# Employed as ``status`` on the date; insured on it; not dead before it (a death fact is valid
# from the death date on). ``OFFSET 0`` keeps each EXISTS a per-row subplan: pulled up into a
# join, its selectivity (a JSON field, a range) is guessed far too low and the planner reads
# the whole register and sorts it instead of walking the person id index to the page's end.
_EMPLOYED_AS = """ AND EXISTS (SELECT 1 FROM person_fact f WHERE f.person_id = ps.person_id
   AND f.kind = 'employment' AND f.data->>'status' = ${n} AND f.valid @> ${on}::date
   AND upper_inf(f.recorded) OFFSET 0)"""
_INSURED_ALIVE = """ AND EXISTS (SELECT 1 FROM person_fact f WHERE f.person_id = ps.person_id
   AND f.kind = 'insurance' AND f.valid @> ${on}::date AND upper_inf(f.recorded) OFFSET 0)
 AND NOT EXISTS (SELECT 1 FROM person_fact f WHERE f.person_id = ps.person_id
   AND f.kind = 'death' AND lower(f.valid) < ${on}::date AND upper_inf(f.recorded) OFFSET 0)"""
_FACTS = """
SELECT person_id, kind, slot, lower(valid) AS lo, upper(valid) AS hi, org_id, data
  FROM person_fact WHERE person_id = ANY($1::uuid[]) AND upper_inf(recorded) AND lower(valid) <= $2
"""
# A page of persons and their current facts in one statement; an attachment fact carries the
# OKTMO of its MO's territory (``territory``; NULL for other kinds). The facts are read person
# by person through the index (a LATERAL kept apart by ``OFFSET 0``), never by a scan of all.
_PAGE_FACTS = """
WITH page AS ({page})
SELECT f.person_id, f.kind, f.slot, f.lo, f.hi, f.org_id, f.data,
       CASE WHEN f.kind = 'attachment' THEN
         (SELECT t.oktmo FROM mo_passport mp JOIN territory t ON t.id = mp.territory_id
           WHERE mp.mo_id = f.org_id) END AS territory
  FROM page CROSS JOIN LATERAL (
       SELECT person_id, kind, slot, lower(valid) AS lo, upper(valid) AS hi, org_id, data FROM person_fact
        WHERE person_id = page.person_id AND upper_inf(recorded) AND lower(valid) <= ${on}::date OFFSET 0) f
"""
_AUDIT = """
INSERT INTO audit_log (id, at, actor, actor_kind, actor_org_id, person_id, action, resource, reason,
                       request_id)
SELECT gen_random_uuid(), now(), $1, $2, $3, unnest($4::uuid[]), 'export', 'person.export', $5, $6
"""
LOWEST = uuid.UUID(int=0)


@dataclass(frozen=True)
class ExportScope:
    """Which persons: attached to ``mo_id`` on ``on`` (if given), and within what the
    submitter may see (``org_kind`` ``mo``/``insurer`` with ``org_id``; None: the whole register);
    with ``employment``, only those whose employment fact on ``on`` has that status; with
    ``insured_alive``, only those insured on ``on`` and not dead before it."""

    on: date
    mo_id: uuid.UUID | None = None
    org_kind: str | None = None
    org_id: uuid.UUID | None = None
    employment: str | None = None
    insured_alive: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        clauses, args = "", []
        if self.mo_id is not None:
            clauses += _IN_ORG.format(kind="attachment", n=3, on=4)
            args += [self.mo_id, self.on]
        if self.org_kind is not None:
            n = 3 + len(args)
            kind = "insurance" if self.org_kind == "insurer" else "attachment"
            clauses += _IN_ORG.format(kind=kind, n=n, on=n + 1)
            args += [self.org_id, self.on]
        if self.employment is not None:
            n = 3 + len(args)
            clauses += _EMPLOYED_AS.format(n=n, on=n + 1)
            args += [self.employment, self.on]
        if self.insured_alive:
            n = 3 + len(args)
            clauses += _INSURED_ALIVE.format(on=n)
            args += [self.on]
        return clauses, args


async def page_of_persons(
    session: AsyncSession, scope: ExportScope, after: uuid.UUID, limit: int
) -> list[uuid.UUID]:
    db = await driver(session)
    clauses, args = scope.sql()
    rows = await db.fetch(_PAGE.format(scope=clauses), after, limit, *args)
    return [r["person_id"] for r in rows]


async def page_with_facts(
    session: AsyncSession, scope: ExportScope, after: uuid.UUID, limit: int
) -> tuple[list[uuid.UUID], list[Any]]:
    """The next ``limit`` persons in scope after ``after`` (in id order) and their current facts
    that began by ``scope.on``, in one statement. A person in scope always has a fact (its name).
    Python orders UUIDs as PostgreSQL does (by their bytes)."""
    db = await driver(session)
    clauses, args = scope.sql()
    page = _PAGE.format(scope=clauses)
    sql = _PAGE_FACTS.format(page=page, on=3 + len(args))
    facts = list(await db.fetch(sql, after, limit, *args, scope.on))
    return sorted({f["person_id"] for f in facts}), facts


async def facts_of(session: AsyncSession, ids: Sequence[uuid.UUID], on: date) -> list[Any]:
    db = await driver(session)
    return list(await db.fetch(_FACTS, list(ids), on))


async def audit_export(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, actor: str, kind: str, org_id: uuid.UUID, reason: str
) -> None:
    db = await driver(session)
    await db.execute(_AUDIT, actor, kind, org_id, list(ids), reason, None)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _last_day(upper: date | None) -> str | None:
    return (upper - timedelta(days=1)).isoformat() if upper is not None else None


def rows_of(
    ids: Sequence[uuid.UUID], facts: Sequence[Any], on: date, org_codes: dict[uuid.UUID, str]
) -> list[dict[str, Any]]:
    """One import-format row per person from its current facts (those valid on ``on``, and
    the name, registration and insurance that ended where the ones on ``on`` began)."""
    by_person: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
    for f in facts:
        by_person[f["person_id"]].append(f)
    return [_row(by_person[i], on, org_codes) for i in ids]


def holds_on(fact: Any, on: date) -> bool:
    """Is the fact row (``lo``/``hi`` of its validity) valid on ``on``?"""
    return bool(fact["lo"] <= on and (fact["hi"] is None or on < fact["hi"]))


def fact_on(facts: Sequence[Any], kind: str, on: date, slot: str = "") -> Any:
    """The fact row of ``kind`` and ``slot`` valid on ``on`` (current facts never overlap)."""
    return next((f for f in facts if f["kind"] == kind and f["slot"] == slot and holds_on(f, on)), None)


def _row(facts: Sequence[Any], on: date, org_codes: dict[uuid.UUID, str]) -> dict[str, Any]:
    def holds(f: Any) -> bool:
        return holds_on(f, on)

    def now(kind: str, slot: str = "") -> Any:
        return fact_on(facts, kind, on, slot)

    def before(kind: str, current: Any, slot: str = "") -> Any:
        if current is None:
            return None
        return next(
            (f for f in facts if f["kind"] == kind and f["slot"] == slot and f["hi"] == current["lo"]), None
        )

    def code(org_id: uuid.UUID | None) -> str | None:
        return None if org_id is None else org_codes.get(org_id, str(org_id))

    row: dict[str, Any] = {}
    name, sex, birth = now("name"), now("sex"), now("birth")
    if name:
        row |= {k: name["data"].get(k) for k in ("surname", "first_name", "patronymic")}
        earlier = before("name", name)
        if earlier and earlier["data"].get("surname") != name["data"].get("surname"):
            row |= {"previous_surname": earlier["data"]["surname"], "surname_from": _iso(name["lo"])}
    row["sex"] = sex["data"]["sex"] if sex else None
    if birth:
        row |= {"birth_date": birth["data"]["birth_date"], "birth_place": birth["data"].get("birth_place")}
    for kind in ("snils", "enp"):
        fact = now(kind)
        row[kind] = fact["data"][kind] if fact else None
    documents = [f for f in facts if f["kind"] == "document" and holds(f)]
    if documents:
        doc = max(documents, key=lambda f: f["lo"])["data"]
        row |= {
            "document_type": doc["type"],
            "document_series": doc.get("series"),
            "document_number": doc["number"],
            "document_issue_date": doc["issue_date"],
            "document_issuer": doc.get("issuer"),
        }
    reg = now("address", "registration")
    if reg:
        row |= {"registration_address": reg["data"]["text"], "registration_address_from": _iso(reg["lo"])}
        earlier = before("address", reg, "registration")
        if earlier:
            row["previous_registration_address"] = earlier["data"]["text"]
    res = now("address", "residence")
    if res:
        row |= {"residence_address": res["data"]["text"], "residence_address_from": _iso(res["lo"])}
    phone = now("contact", "phone")
    row["phone"] = phone["data"]["value"] if phone else None
    insurance = now("insurance")
    if insurance:
        data = insurance["data"]
        row |= {
            "insurer": code(insurance["org_id"]),
            "policy_type": data["policy_type"],
            "policy_series": data.get("policy_series"),
            "policy_number": data["policy_number"],
            "insurance_from": _iso(insurance["lo"]),
            "insurance_to": _last_day(insurance["hi"]),
        }
        earlier = before("insurance", insurance)
        if earlier:
            row |= {
                "previous_insurer": code(earlier["org_id"]),
                "previous_policy_type": earlier["data"]["policy_type"],
                "previous_policy_number": earlier["data"]["policy_number"],
                "previous_insurance_from": _iso(earlier["lo"]),
            }
    attachment = now("attachment")
    if attachment:
        data = attachment["data"]
        row |= {
            "mo": code(attachment["org_id"]),
            "area_code": data.get("area_code"),
            "attached_from": _iso(attachment["lo"]),
            "attachment_method": data["method"],
        }
    employment = now("employment")
    if employment:
        row |= {
            "employment_status": employment["data"]["status"],
            "employment_from": _iso(employment["lo"]),
            "employment_to": _last_day(employment["hi"]),
        }
    death = now("death")
    row["death_date"] = death["data"]["death_date"] if death else None
    return row
