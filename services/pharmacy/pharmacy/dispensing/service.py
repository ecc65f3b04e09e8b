"""Dispensing at the pharmacy counter: the scan of a package, the prescription as the pharmacist
sees it, the dispense with every check of the issue, the deferred-service list. No SQL here
(``repository``); no commit (the request's transaction).

The dispense (:func:`dispense`):

1. the prescription is found (id, or series + number) and LOCKED — two counters presenting the
   same prescription take turns, the second sees it dispensed (409);
2. every check runs before anything is written and all failures are reported together
   (:mod:`pharmacy.dispensing.checks`): the prescription (fields, validity, uniqueness, item,
   person, NSI), each scanned code (parsed, known, in this pharmacy, in stock or reserved for
   this prescription, not expired, of the prescribed МНН/form/dosage, not scanned twice);
3. then: the prescription's reservations are consumed
   (``stock.reservations.consume``), the packages are claimed by one conditional UPDATE
   (``status = 'in_stock'`` at the moment of the update — a package another counter took in
   the meantime is not, and the dispense is refused whole with 409), the dispense and its items
   are written, the prescription becomes ``dispensed`` (a deferred entry ``served``), the
   disposal is queued for МДЛП, ``pharmacy.prescription.dispensed`` goes to the outbox, and
   last each batch is booked down through ``stock.movements.book(kind='dispense',
   release_reserved=…)`` (never below zero; last, because every counter of the pharmacy books
   the same batch rows: their locks are then held only until the commit). A failure here
   raises, and the caller's transaction (the request's) is rolled back: nothing half-written.
   (No savepoint of its own: two round trips of ~24 on the hot path.)"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import InvalidInput, NotFound
from oms_kit.logging import current_request_id
from oms_kit.masking import mask_snils
from pharmacy.beneficiaries.service import EntitlementFacts, entitlement_from, entitlement_on
from pharmacy.dispensing import checks, repository
from pharmacy.dispensing.checks import Violation, designation
from pharmacy.dispensing.errors import refuse
from pharmacy.dispensing.schemas import (
    BatchChoice,
    DeferredBrief,
    DeferredIn,
    DeferredRead,
    DispenseIn,
    DispenseItemRead,
    DispenseRead,
    DrugBrief,
    EntitlementBrief,
    PackageRead,
    ParsedCode,
    PatientMasked,
    PrescriptionAtCounter,
    ReservationBrief,
    ScanIn,
    ScanRead,
    ViolationRead,
)
from pharmacy.events.published import PrescriptionDispensed
from pharmacy.marking.gs1 import MarkingCode, MarkingCodeError, parse_marking_code
from pharmacy.marking.trace.queue import dispense_report
from pharmacy.models import (
    Beneficiary,
    DeferredService,
    Dispense,
    DispenseItem,
    Drug,
    MarkedPackage,
    Prescription,
    StockBatch,
)
from pharmacy.prescriptions import rules
from pharmacy.scope import PRESCRIPTION_NOT_FOUND, PharmacyScope, scope_of
from pharmacy.stock import movements, reservations
from pharmacy.stock.errors import StockShortage

SOURCE = "pharmacy"
RESOURCE = "pharmacy.prescription"
CENT = Decimal("0.01")


def _today() -> date:
    return date.today()


def _pharmacy(
    scope: PharmacyScope, principal: Principal, requested: uuid.UUID | None, *, write: bool
) -> uuid.UUID:
    """The pharmacy of the operation: the one asked for, else the caller's own."""
    pharmacy_id = requested or (principal.org_id if principal.org_type in {"pharmacy", "warehouse"} else None)
    if pharmacy_id is None:
        raise InvalidInput("Укажите аптеку (pharmacy_id)", field="pharmacy_id")
    if write:
        scope.ensure_pharmacy_writable(pharmacy_id)
    else:
        scope.ensure_pharmacy(pharmacy_id)
    return pharmacy_id


def _brief(drug: Drug) -> DrugBrief:
    return DrugBrief.model_validate(drug)


def _views(violations: Sequence[Violation]) -> list[ViolationRead]:
    return [ViolationRead(code=v.code, message=v.message) for v in violations]


def _parsed(code: MarkingCode) -> ParsedCode:
    return ParsedCode(
        gtin=code.gtin,
        serial=code.serial,
        sgtin=code.sgtin,
        expiry=code.expiry,
        batch=code.batch,
        verification_key=code.verification_key,
        crypto=code.crypto,
    )


def _parse(raw: str, field: str) -> MarkingCode | Violation:
    try:
        return parse_marking_code(raw)
    except MarkingCodeError as exc:
        return Violation(checks.NOT_MARKING_CODE, f"Это не код маркировки: {exc}", field)


def _dispensed_text(info: tuple[datetime, str, int] | None) -> tuple[date, str] | None:
    if info is None:
        return None
    at, series, number = info
    return at.astimezone().date(), f"серия {series} № {number:0{rules.NUMBER_WIDTH}d}"


# --- scan ----------------------------------------------------------------------------------


async def scan(session: AsyncSession, principal: Principal, body: ScanIn) -> ScanRead:
    """What the scanned code is and what this pharmacy knows of the package. A code that is
    not a marking code, or of a GTIN no drug has, is a 422 naming it; the package's state
    (not here, dispensed — when and by which prescription, written off, expired, another
    drug than the prescription's) comes back as ``problems``."""
    scope = await scope_of(session, principal)
    pharmacy_id = _pharmacy(scope, principal, body.pharmacy_id, write=False)
    parsed = _parse(body.code, "code")
    if isinstance(parsed, Violation):
        raise refuse([parsed])
    found = await repository.packages(session, [parsed.sgtin])
    drug: Drug | None
    if parsed.sgtin in found:
        package, batch, drug = found[parsed.sgtin]
    else:
        package, batch = None, None
        drug = (await repository.drugs_by_gtin(session, [parsed.gtin])).get(parsed.gtin)
    if drug is None:
        raise refuse(
            [Violation(checks.UNKNOWN_GTIN, f"GTIN {parsed.gtin} нет в справочнике препаратов", "code")]
        )
    today = _today()
    reservation_ids: frozenset[uuid.UUID] = frozenset()
    item: list[Violation] = []
    funding: str | None = None
    if body.prescription_id is not None:
        p = await repository.prescription(session, prescription_id=body.prescription_id)
        if p is None:
            raise NotFound(PRESCRIPTION_NOT_FOUND)
        funding = p.funding_source
        reservation_ids = frozenset(r.id for r in await repository.active_reservations(session, p.id))
        item = [
            Violation(checks.GTIN_MISMATCH, f"Упаковка не подходит к рецепту: {v.message}")
            for v in checks.item_violations(p, drug, None)
        ]
    info = None
    if package is not None and package.dispense_id is not None:
        info = (await repository.dispenses_info(session, [package.dispense_id])).get(package.dispense_id)
    problems = checks.package_violations(
        parsed.sgtin,
        package,
        batch,
        pharmacy_id=pharmacy_id,
        on=today,
        reservation_ids=reservation_ids,
        dispensed=_dispensed_text(info),
        funding_source=funding,
    )
    problems += item
    problems += checks.nsi_violations(drug, today)
    return ScanRead(
        parsed=_parsed(parsed),
        drug=_brief(drug),
        # another pharmacy's package: named as such, its stock not shown
        package=_package_read(package, batch, info)
        if package is not None and batch is not None and package.pharmacy_id == pharmacy_id
        else None,
        usable=not problems,
        problems=_views(problems),
    )


def _package_read(
    package: MarkedPackage, batch: StockBatch, info: tuple[datetime, str, int] | None
) -> PackageRead:
    return PackageRead(
        status=package.status,
        batch_id=batch.id,
        series=batch.series,
        expiry_date=batch.expiry_date,
        funding_source=batch.funding_source,
        unit_price=batch.unit_price,
        dispensed_at=info[0] if info else None,
        dispensed_by_prescription=f"серия {info[1]} № {info[2]:0{rules.NUMBER_WIDTH}d}" if info else None,
    )


# --- the prescription at the counter --------------------------------------------------------


def _mask_name(b: Beneficiary | None) -> str | None:
    if b is None or not b.surname:
        return None
    surname = b.surname[0] + "*" * (len(b.surname) - 1)
    initials = "".join(f" {n[0]}." for n in (b.first_name, b.patronymic) if n)
    return surname + initials


async def _find(
    session: AsyncSession, *, prescription_id: uuid.UUID | None, text: str | None, lock: bool = False
) -> Prescription:
    if prescription_id is not None:
        p = await repository.prescription(session, prescription_id=prescription_id, lock=lock)
    elif text is not None:
        try:
            number = rules.PrescriptionNumber.parse(text)
        except rules.PrescriptionRuleError as exc:
            raise InvalidInput(str(exc), field="q") from exc
        p = await repository.prescription(session, series=number.series, number=number.number, lock=lock)
    else:
        raise InvalidInput("Укажите рецепт: серию и номер", field="q")
    if p is None:
        raise NotFound(PRESCRIPTION_NOT_FOUND)
    return p


async def _matching(session: AsyncSession, p: Prescription) -> list[Drug]:
    return [
        d
        for d in await repository.matching_drugs(session, p.inn)
        if checks.same_text(d.dosage_form, p.dosage_form)
        and checks.same_text(d.dosage, p.dosage)
        and (p.drug_id is None or d.id == p.drug_id)
    ]


async def at_counter(
    session: AsyncSession,
    principal: Principal,
    *,
    prescription_id: uuid.UUID | None = None,
    text: str | None = None,
    pharmacy_id: uuid.UUID | None = None,
) -> PrescriptionAtCounter:
    """The presented prescription (by id, or its series and number as typed or scanned) with
    the patient masked, the entitlement today, the checks that already fail without packages,
    and whether this pharmacy has stock for it. Audited (the person's data is read)."""
    scope = await scope_of(session, principal)
    here = _pharmacy(scope, principal, pharmacy_id, write=False)
    p = await _find(session, prescription_id=prescription_id, text=text)
    await audit_access(
        session, principal, action="read", resource=f"{RESOURCE}.dispensing", person_id=p.person_id
    )
    today = _today()
    drugs = await _matching(session, p)
    beneficiary = await repository.beneficiary_of(session, p.person_id)
    answer = await entitlement_on(session, p.person_id, today, diagnosis=p.diagnosis_code)
    granted = any(c.code == p.category_code for c in answer.categories)
    deferred = await repository.deferred_entry(session, p.id)
    deferred_since = (
        deferred.requested_on if deferred is not None and deferred.status != "cancelled" else None
    )
    problems = await checks.state_violations(session, p)
    problems += await checks.prescription_violations(session, p, on=today)
    done = await repository.dispense_of(session, p.id)
    trade = next((d.trade_name for d in drugs if d.id == p.drug_id), None) if p.drug_id else None
    return PrescriptionAtCounter(
        id=p.id,
        designation=designation(p),
        series=p.series,
        number=p.number,
        form=p.form,
        status=p.status,
        mo_id=p.mo_id,
        issued_on=p.issued_on,
        valid_until=p.valid_until,
        valid_today=rules.is_valid_on(p.issued_on, p.valid_until, today, deferred_since=deferred_since),
        patient=PatientMasked(
            name=_mask_name(beneficiary),
            birth_year=beneficiary.birth_date.year if beneficiary and beneficiary.birth_date else None,
            snils=mask_snils(beneficiary.snils) if beneficiary and beneficiary.snils else None,
        ),
        inn=p.inn,
        dosage_form=p.dosage_form,
        dosage=p.dosage,
        trade_name=trade,
        quantity=p.quantity,
        signa=p.signa,
        funding_source=p.funding_source,
        category_code=p.category_code,
        entitlement=EntitlementBrief(
            entitled=granted,
            category_code=p.category_code,
            messages=[r.message for r in answer.reasons if r.category_code in (None, p.category_code)],
        ),
        marked=any(d.marked for d in drugs),
        free_here=await repository.free_packages(session, here, [d.id for d in drugs], today),
        batches=await _batches_to_fill(session, p, drugs, pharmacy_id=here, today=today),
        reservations=[
            ReservationBrief(pharmacy_id=r.pharmacy_id, quantity=r.quantity, expires_at=r.expires_at)
            for r in await repository.active_reservations(session, p.id)
        ],
        deferred=_deferred_brief(deferred),
        dispense_id=done.id if done is not None else None,
        problems=_views(problems),
    )


async def _batches_to_fill(
    session: AsyncSession, p: Prescription, drugs: Sequence[Drug], *, pharmacy_id: uuid.UUID, today: date
) -> list[BatchChoice]:
    """The batch picker of an unmarked drug: this pharmacy's batches the dispense would accept
    for the prescription (the prescribed drug — :func:`_matching`; unmarked, since a marked
    one is given by its codes; of the prescription's budget — :func:`checks.funding_violations`;
    not expired; packages free for it), earliest expiry first (FEFO)."""
    unmarked = [d.id for d in drugs if not d.marked]
    rows = await repository.batches_to_fill(
        session, pharmacy_id=pharmacy_id, drug_ids=unmarked, prescription_id=p.id, on=today
    )
    return [
        BatchChoice(
            batch_id=b.id,
            drug_id=d.id,
            trade_name=d.trade_name,
            series=b.series,
            expiry_date=b.expiry_date,
            free=free,
            unit_price=b.unit_price,
        )
        for b, d, free in rows
        if not checks.funding_violations("", b, p.funding_source)
    ]


def _deferred_brief(d: DeferredService | None) -> DeferredBrief | None:
    if d is None:
        return None
    return DeferredBrief(
        pharmacy_id=d.pharmacy_id,
        kind=d.kind,
        requested_on=d.requested_on,
        deadline=d.deadline,
        status=d.status,
    )


# --- the dispense ------------------------------------------------------------------------------


@dataclass
class _Line:
    """One package or unmarked batch line to give."""

    batch: StockBatch
    drug: Drug
    sgtin: str | None
    quantity: int


def _parse_codes(raws: Sequence[str]) -> tuple[list[tuple[int, MarkingCode]], list[Violation]]:
    """The scans parsed (each once), a scan that is not a marking code or repeats one named."""
    violations: list[Violation] = []
    codes: list[tuple[int, MarkingCode]] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raws):
        parsed = _parse(raw, f"codes[{i}]")
        if isinstance(parsed, Violation):
            violations.append(parsed)
            continue
        if parsed.sgtin in seen:
            violations.append(
                Violation(
                    checks.CODE_DUPLICATE,
                    f"Код {parsed.sgtin} отсканирован дважды (строки {seen[parsed.sgtin] + 1} и {i + 1})",
                    f"codes[{i}]",
                )
            )
            continue
        seen[parsed.sgtin] = i
        codes.append((i, parsed))
    return codes, violations


def _scanned_lines(
    p: Prescription,
    codes: Sequence[tuple[int, MarkingCode]],
    facts: repository.DispenseFacts,
    *,
    pharmacy_id: uuid.UUID,
    today: date,
) -> tuple[list[_Line], list[Violation]]:
    """Each parsed scan against the packages the dispense found (:func:`checks.package_violations`)
    and the prescription's item (:func:`checks.item_violations`)."""
    violations: list[Violation] = []
    lines: list[_Line] = []
    for i, code in codes:
        field = f"codes[{i}]"
        found = facts.packages.get(code.sgtin)
        if found is None:
            if code.gtin not in facts.drug_by_gtin:
                violations.append(
                    Violation(checks.UNKNOWN_GTIN, f"GTIN {code.gtin} нет в справочнике препаратов", field)
                )
            else:
                violations.append(
                    Violation(
                        checks.CODE_NOT_IN_STOCK,
                        f"Код маркировки {code.sgtin} не числится в остатках аптеки",
                        field,
                    )
                )
            continue
        package, batch = found.package, found.batch
        drug = facts.drugs[batch.drug_id]
        bad = checks.package_violations(
            code.sgtin,
            package,
            batch,
            pharmacy_id=pharmacy_id,
            on=today,
            reservation_ids=facts.held,
            dispensed=_dispensed_text(found.dispensed),
            funding_source=p.funding_source,
        )
        bad += [
            Violation(checks.GTIN_MISMATCH, f"Упаковка {code.sgtin} не подходит к рецепту: {v.message}")
            for v in checks.item_violations(p, drug, None)
        ]
        violations += [Violation(v.code, v.message, field) for v in bad]
        if not bad:
            lines.append(_Line(batch, drug, code.sgtin, 1))
    return lines, violations


async def _unmarked_lines(
    session: AsyncSession, p: Prescription, body: DispenseIn, *, pharmacy_id: uuid.UUID, today: date
) -> tuple[list[_Line], list[Violation]]:
    violations: list[Violation] = []
    lines: list[_Line] = []
    found = await repository.batches(session, [i.batch_id for i in body.items], p.id)
    asked: dict[uuid.UUID, int] = {}
    for i, item in enumerate(body.items):
        field = f"items[{i}]"
        if item.batch_id not in found or found[item.batch_id][0].pharmacy_id != pharmacy_id:
            violations.append(
                Violation(checks.BATCH_NOT_IN_STOCK, "Партия не числится в остатках аптеки", field)
            )
            continue
        batch, drug, free = found[item.batch_id]
        if drug.marked:
            violations.append(
                Violation(
                    checks.MARKED_NEEDS_CODES,
                    f"Препарат «{drug.trade_name}» маркирован: отпуск только по сканам кодов маркировки",
                    field,
                )
            )
            continue
        if batch.expiry_date < today:
            violations.append(
                Violation(
                    checks.CODE_EXPIRED,
                    f"Срок годности партии {batch.series} истёк {batch.expiry_date:%d.%m.%Y}",
                    field,
                )
            )
            continue
        bad = checks.item_violations(p, drug, None)
        violations += [
            Violation(checks.GTIN_MISMATCH, f"Партия {batch.series}: {v.message}", field) for v in bad
        ]
        unfunded = checks.funding_violations(f"Партия {batch.series}", batch, p.funding_source)
        violations += [Violation(v.code, v.message, field) for v in unfunded]
        bad += unfunded
        asked[batch.id] = asked.get(batch.id, 0) + item.quantity
        if asked[batch.id] > free:
            short = Violation(
                checks.STOCK_INSUFFICIENT,
                f"В партии {batch.series} свободно {max(free, 0)} уп., а отпускается {asked[batch.id]} уп.",
                field,
            )
            violations.append(short)
            bad.append(short)
        if not bad:
            lines.append(_Line(batch, drug, None, item.quantity))
    return lines, violations


async def dispense(session: AsyncSession, principal: Principal, body: DispenseIn) -> DispenseRead:
    """Dispense a prescription from this pharmacy's stock (see the module docstring)."""
    scope = await scope_of(session, principal)
    pharmacy_id = _pharmacy(scope, principal, body.pharmacy_id, write=True)
    today = _today()
    codes, violations = _parse_codes(body.codes)
    # one statement: the prescription locked and every fact the checks read
    facts = await repository.dispense_facts(
        session,
        prescription_id=body.prescription_id,
        series=body.series if body.prescription_id is None else None,
        number=body.number if body.prescription_id is None else None,
        pharmacy_id=pharmacy_id,
        sgtins=[c.sgtin for _, c in codes],
        gtins=list(dict.fromkeys(c.gtin for _, c in codes)),
    )
    if facts is None:
        raise NotFound(PRESCRIPTION_NOT_FOUND)
    p = facts.prescription
    state = checks.state_violations_from(p, facts.dispensed_at)
    if state:
        raise refuse(state)
    lines, bad = _scanned_lines(p, codes, facts, pharmacy_id=pharmacy_id, today=today)
    violations += bad
    more, bad = await _unmarked_lines(session, p, body, pharmacy_id=pharmacy_id, today=today)
    lines += more
    violations += bad
    drugs = {line.drug.id: line.drug for line in lines}
    if len(drugs) > 1:
        names = ", ".join(sorted(f"«{d.trade_name}»" for d in drugs.values()))
        violations.append(Violation("mixed_drugs", f"В одном отпуске разные препараты: {names}"))
    drug = next(iter(drugs.values()), None)
    given = len(body.codes) + sum(i.quantity for i in body.items)  # refused lines count as given
    answer = entitlement_from(
        p.person_id,
        today,
        EntitlementFacts(
            registered=facts.registered,
            death=facts.death,
            temporary_until=facts.temporary_until,
            home_region=facts.home_region,
            entitlements=facts.entitlements,
            refused_years=facts.refused_years,
        ),
        diagnosis=p.diagnosis_code,
    )
    drug_lists = None
    if drug is not None:
        drug_lists = facts.drug_lists.get(drug.id)
        if drug_lists is None:  # an unmarked batch's drug: not among the scanned ones
            drug_lists = await repository.drug_lists_of(session, drug.id, drug.inn)
    violations += checks.prescription_violations_from(
        p,
        on=today,
        facts=checks.PrescriptionFacts(
            deferred_since=facts.deferred_since,
            number_taken=facts.number_taken,
            entitlement=answer,
            drug_lists=drug_lists,
        ),
        drug=drug,
        quantity=given,
    )
    amount = sum((line.batch.unit_price * line.quantity for line in lines), Decimal("0")).quantize(CENT)
    if lines and amount <= 0:
        violations.append(
            Violation("price_missing", "Цена упаковок не указана (0 ₽): отпуск нельзя оплатить")
        )
    if violations or drug is None:
        raise refuse(violations or [Violation(checks.QUANTITY_MISMATCH, "Нет ни одной упаковки для отпуска")])
    return await _write(
        session,
        principal,
        p,
        lines,
        drug=drug,
        pharmacy_id=pharmacy_id,
        pharmacy_code=facts.pharmacy_code,
        amount=amount,
        today=today,
        held=bool(facts.held),
    )


async def _write(
    session: AsyncSession,
    principal: Principal,
    p: Prescription,
    lines: list[_Line],
    *,
    drug: Drug,
    pharmacy_id: uuid.UUID,
    pharmacy_code: str | None,
    amount: Decimal,
    today: date,
    held: bool,
) -> DispenseRead:
    dispense_id = uuid.uuid4()
    now = datetime.now(UTC)
    sgtins = sorted(line.sgtin for line in lines if line.sgtin is not None)
    name = designation(p)
    consumed = await reservations.consume(session, p.id) if held else []
    row = repository.transient(
        Dispense,
        {
            "id": dispense_id,
            "prescription_id": p.id,
            "pharmacy_id": pharmacy_id,
            "mo_id": p.mo_id,
            "pharmacist_subject": principal.subject,
            "dispensed_at": now,
            "quantity": sum(line.quantity for line in lines),
            "amount": amount,
            "funding_source": p.funding_source,
            "drug_id": drug.id,
        },
    )
    items = [
        repository.transient(
            DispenseItem,
            {
                "dispense_id": dispense_id,
                "batch_id": line.batch.id,
                "sgtin": line.sgtin,
                "unit_price": line.batch.unit_price,
            },
        )
        for line in lines
        for _ in range(line.quantity if line.sgtin is None else 1)
    ]
    report = (
        dispense_report(
            pharmacy_id=pharmacy_id,
            pharmacy_code=pharmacy_code,
            sgtins=sgtins,
            dispense_id=dispense_id,
            prescription=p,
            at=now,
        )
        if sgtins
        else None
    )
    event = repository.outbox_values(
        PrescriptionDispensed(
            prescription_id=p.id,
            pharmacy_id=pharmacy_id,
            mo_id=p.mo_id,
            dispensed_at=now,
            funding_source=p.funding_source,
            amount=amount,
            drug_inn=drug.inn[:300],
            dispense_id=dispense_id,
            quantity=row.quantity,
        ),
        source=SOURCE,
        subject=str(p.id),
    )
    # the answer built before the batch is locked (held until the commit that follows)
    answer = DispenseRead(
        id=dispense_id,
        prescription_id=p.id,
        designation=name,
        pharmacy_id=pharmacy_id,
        mo_id=p.mo_id,
        pharmacist=principal.subject,
        dispensed_at=now,
        quantity=row.quantity,
        amount=amount,
        funding_source=p.funding_source,
        drug=_brief(drug),
        items=[
            DispenseItemRead(
                batch_id=i.batch_id,
                series=line.batch.series,
                expiry_date=line.batch.expiry_date,
                sgtin=i.sgtin,
                unit_price=i.unit_price,
            )
            for i, line in zip(
                items,
                [ln for ln in lines for _ in range(ln.quantity if ln.sgtin is None else 1)],
                strict=True,
            )
        ],
        trace_report_id=report.id if report is not None else None,
    )
    # The batches booked last: their row locks (every counter of the pharmacy books the same
    # batches) are held only from there to the commit.
    reserved_on: dict[uuid.UUID, int] = {}
    for r in consumed:
        reserved_on[r.batch_id] = reserved_on.get(r.batch_id, 0) + r.quantity
    per_batch: dict[uuid.UUID, list[_Line]] = {}
    for line in lines:
        per_batch.setdefault(line.batch.id, []).append(line)
    bookings: list[repository.Booking] = []
    for batch_id in sorted(per_batch):
        group = per_batch[batch_id]
        n = sum(line.quantity for line in group)
        codes = [line.sgtin for line in group if line.sgtin is not None]
        release = min(reserved_on.pop(batch_id, 0), n)
        delta, checked = movements.checked("dispense", n, release, codes or None)
        bookings.append(repository.Booking(batch_id, delta, release, f"Рецепт {name}", checked, today))
    # One statement: the audit row, the packages claimed (a package another counter took in
    # the meantime is not — then nothing else is written and the dispense is refused whole),
    # the dispense and its items, the prescription dispensed (a deferred entry served), the
    # МДЛП report queued, the event in the outbox, and — the common case of one batch — the
    # batch booked down (stock.movements' booking, only when every package was claimed).
    one = bookings[0] if len(bookings) == 1 else None
    await session.flush()  # anything pending of the session goes first, as add_event did
    taken, movement = await repository.write_dispense(
        session,
        audit=repository.AuditValues(
            actor=principal.subject,
            actor_kind=principal.kind,
            actor_org_id=principal.org_id,
            person_id=p.person_id,
            resource=RESOURCE,
            request_id=current_request_id(),
        ),
        dispense=row,
        items=items,
        reservation_ids=[r.id for r in consumed],
        serve_deferred=p.status == "deferred",
        served_on=today,
        report=report,
        event=event,
        booking=one,
    )
    lost = [s for s in sgtins if s not in taken]
    if lost:
        raise refuse(
            [
                Violation(
                    checks.CODE_DISPENSED,
                    f"Упаковка {s} только что отпущена или списана на другом рабочем месте",
                )
                for s in lost
            ]
        )
    try:
        if one is not None:
            await movements.booked(
                session,
                movement,
                batch_id=one.batch_id,
                kind="dispense",
                delta=one.delta,
                release=one.release,
                on=today,
            )
        else:
            for b in bookings:
                await movements.book(
                    session,
                    batch_id=b.batch_id,
                    kind="dispense",
                    quantity=-b.delta,
                    booked_by=principal.subject,
                    document=b.document,
                    prescription_id=p.id,
                    sgtins=b.sgtins,
                    release_reserved=b.release,
                )
        for batch_id, n in sorted(reserved_on.items()):
            await reservations.unreserve(session, batch_id, n)
    except StockShortage as exc:
        raise refuse([Violation(checks.STOCK_INSUFFICIENT, exc.detail)]) from exc
    return answer


async def dispense_read(session: AsyncSession, principal: Principal, dispense_id: uuid.UUID) -> DispenseRead:
    """One dispense (the caller's pharmacy, or region-wide; another pharmacy's is not found).
    Audited: what a person was given is their data."""
    scope = await scope_of(session, principal)
    found = await repository.dispense_with(session, dispense_id)
    if found is None or not scope.sees_pharmacy(found[0].pharmacy_id):
        raise NotFound("Отпуск не найден")
    row, p, drug = found
    await audit_access(
        session, principal, action="read", resource=f"{RESOURCE}.dispense", person_id=p.person_id
    )
    items = await repository.dispense_items(session, row.id)
    return DispenseRead(
        id=row.id,
        prescription_id=p.id,
        designation=designation(p),
        pharmacy_id=row.pharmacy_id,
        mo_id=row.mo_id,
        pharmacist=row.pharmacist_subject,
        dispensed_at=row.dispensed_at,
        quantity=row.quantity,
        amount=row.amount,
        funding_source=row.funding_source,
        drug=_brief(drug),
        items=[
            DispenseItemRead(
                batch_id=i.batch_id,
                series=b.series,
                expiry_date=b.expiry_date,
                sgtin=i.sgtin,
                unit_price=i.unit_price,
            )
            for i, b in items
        ],
        trace_report_id=await repository.trace_report_of(session, row.id),
    )


# --- deferred service --------------------------------------------------------------------


def _deferred_read(
    d: DeferredService, p: Prescription, pharmacy_name: str | None, today: date
) -> DeferredRead:
    kind = rules.DeferredServiceKind(d.kind)
    status = rules.deferred_service_status(d.requested_on, kind, today=today, served_on=d.served_on)
    return DeferredRead(
        prescription_id=p.id,
        designation=designation(p),
        pharmacy_id=d.pharmacy_id,
        pharmacy_name=pharmacy_name,
        kind=kind,
        requested_on=d.requested_on,
        deadline=d.deadline,
        working_days_left=status.working_days_left,
        overdue=status.overdue,
        status=d.status,
        served_on=d.served_on,
        inn=p.inn,
        dosage_form=p.dosage_form,
        dosage=p.dosage,
        quantity=p.quantity,
        issued_on=p.issued_on,
        mo_id=p.mo_id,
        reservation_id=d.reservation_id,
    )


async def defer(
    session: AsyncSession, principal: Principal, body: DeferredIn, *, on: date | None = None
) -> DeferredRead:
    """Accept the prescription for deferred service in this pharmacy: it must be dispensable
    today (valid, entitled…) and not already on a list; the deadline by the rules (5/10/15
    working days of the production calendar). The prescription becomes ``deferred`` (its
    validity then extends until it is served)."""
    scope = await scope_of(session, principal)
    pharmacy_id = _pharmacy(scope, principal, body.pharmacy_id, write=True)
    p = await _find(session, prescription_id=body.prescription_id, text=None, lock=True)
    state = await checks.state_violations(session, p)
    existing = await repository.deferred_entry(session, p.id)
    if existing is not None and existing.status != "cancelled":
        state.append(
            Violation(
                "already_deferred",
                f"Рецепт {designation(p)} уже на отсроченном обслуживании с {existing.requested_on:%d.%m.%Y}",
            )
        )
    if state:
        raise refuse(state)
    await audit_access(session, principal, action="defer", resource=RESOURCE, person_id=p.person_id)
    today = on or _today()
    violations = await checks.prescription_violations(session, p, on=today)
    if violations:
        raise refuse(violations)
    deadline = rules.deferred_service_deadline(today, body.kind)
    if existing is not None:
        existing.pharmacy_id = pharmacy_id
        existing.kind = body.kind.value
        existing.requested_on = today
        existing.deadline = deadline
        existing.status = "waiting"
        existing.reservation_id = None
        existing.served_on = None
        existing.registered_by = principal.subject
        entry = existing
        await session.flush()
    else:
        entry = DeferredService(
            prescription_id=p.id,
            pharmacy_id=pharmacy_id,
            kind=body.kind.value,
            requested_on=today,
            deadline=deadline,
            status="waiting",
            registered_by=principal.subject,
        )
        await repository.add_deferred(session, entry)
    await repository.set_deferred(session, p.id)
    p.status = "deferred"
    return _deferred_read(entry, p, None, today)


async def deferred_list(
    session: AsyncSession,
    principal: Principal,
    *,
    pharmacy_id: uuid.UUID | None,
    statuses: tuple[str, ...],
    kind: str | None,
    inn: str | None,
    overdue: bool | None,
    today: date | None = None,
) -> list[DeferredRead]:
    """The deferred list: the caller's pharmacy (region-wide roles: every pharmacy, or the one
    asked for), ready ones first, then by deadline."""
    scope = await scope_of(session, principal)
    if pharmacy_id is not None:
        scope.ensure_pharmacy(pharmacy_id)
    rows = await repository.deferred_list(
        session,
        repository.DeferredFilter(
            pharmacy_ids=scope.pharmacy_ids, pharmacy_id=pharmacy_id, statuses=statuses, kind=kind, inn=inn
        ),
    )
    day = today or _today()
    items = [_deferred_read(d, p, name, day) for d, p, name in rows]
    if overdue is not None:
        items = [i for i in items if i.overdue == overdue]
    return items
