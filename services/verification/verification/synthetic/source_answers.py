"""What the five sources would answer about a synthetic register: the facts of its planted
truths, each about the person as that source knows them, plus facts about persons who are not
on the register at all.

As a source knows a person: mostly as the register does, but sometimes with a typo in a name,
without a SNILS, with ё written as е, in Latin letters (a passport's ICAO spelling), or with
another document (a passport issued since). Truth → facts:

- dead → ``zags.death``; missing → ``mvd.missing``; military → ``military.service``;
- employed → ``sfr.contributions`` for every month worked and, for most, ``fns.income`` too;
- entrepreneur → ``fns.entrepreneur``; name_changed → ``zags.name_change`` (the person under
  the old name, the new one in the attributes); passport_replaced → ``mvd.passport_invalid``
  (the register's passport, the new one in the attributes);
- duplicate → nothing (the register itself shows it).

Deterministic for a seed. ``answer_files`` writes them in the sources' file formats;
``source_knowledge`` gives the SMEV simulator what each source holds."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from oms_kit.identifiers import complete_snils
from oms_kit.synthetic_names import (
    ALL_SURNAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    patronymic,
    surname_form,
    transliterate,
)
from verification.linkage.records import PersonRecord
from verification.sources.catalogue import adapter_for
from verification.sources.records import PERSON_COLUMNS, SourceRecord
from verification.sources.smev.simulator import SourceKnowledge
from verification.synthetic.distortions import typo
from verification.synthetic.truths import PlantedTruth

# How a source's copy of a person differs from the register's (the rest: exactly as there).
DISTORTIONS = (("typo", 0.08), ("no_snils", 0.06), ("yo", 0.04), ("latin", 0.03), ("new_document", 0.05))


def _as_known(person: PersonRecord, rng: random.Random) -> PersonRecord:
    roll = rng.random()
    kind = None
    for name, share in DISTORTIONS:
        if roll < share:
            kind = name
            break
        roll -= share
    if kind is None:
        return person
    if kind == "typo":
        field = rng.choice(["surname", "first_name", "patronymic"])
        changed: dict[str, str] = {field: typo(getattr(person, field) or "", rng)}
        return replace(person, **changed)  # type: ignore[arg-type]
    if kind == "no_snils":
        return replace(person, snils=None)
    if kind == "yo":
        return replace(person, surname=(person.surname or "").replace("ё", "е").replace("е", "ё", 1))
    if kind == "latin":
        return replace(
            person,
            surname=transliterate(person.surname or ""),
            first_name=transliterate(person.first_name or ""),
            patronymic=transliterate(person.patronymic or "") or None,
        )
    return replace(
        person,
        doc_type="14",
        doc_series=f"{rng.randrange(1, 99):02d}{rng.randrange(0, 26):02d}",
        doc_number=f"{rng.randrange(10**6):06d}",
    )


def _record(source: str, kind: str, person: PersonRecord, **fields: object) -> SourceRecord:
    values = {c: getattr(person, c) for c in PERSON_COLUMNS}
    values["enp"] = None  # the sources do not keep the CMI policy number
    values["district"] = None
    values.update(fields)
    return SourceRecord(source=source, kind=kind, row_no=0, **values)


def _months(first: date, last: date) -> Iterable[tuple[date, date]]:
    month = first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        yield month, following - timedelta(days=1)
        month = following


def _facts(truth: PlantedTruth, person: PersonRecord, rng: random.Random) -> list[SourceRecord]:
    a = truth.attributes
    kind = truth.kind
    if kind == "dead":
        act = f"1{rng.randrange(10**11):011d}"
        return [
            _record(
                "zags",
                "zags.death",
                _as_known(person, rng),
                date_from=truth.date_from,
                external_id=act,
                attributes={"act_number": act},
            )
        ]
    if kind == "missing":
        case = f"{rng.randrange(10**6):06d}"
        return [
            _record(
                "mvd",
                "mvd.missing",
                _as_known(person, rng),
                date_from=truth.date_from,
                external_id=case,
                attributes={"case_number": case},
            )
        ]
    if kind == "military":
        return [
            _record(
                "military",
                "military.service",
                _as_known(person, rng),
                date_from=truth.date_from,
                date_to=truth.date_to,
                attributes={"service_type": a.get("service", "contract")},
            )
        ]
    if kind == "entrepreneur":
        ogrnip = a.get("ogrnip") or f"3{rng.randrange(10**14):014d}"
        known = replace(_as_known(person, rng), inn=a.get("inn"))
        return [
            _record(
                "fns",
                "fns.entrepreneur",
                known,
                date_from=truth.date_from,
                date_to=truth.date_to,
                external_id=ogrnip,
                attributes={"ogrnip": ogrnip},
            )
        ]
    if kind == "name_changed":
        act = f"1{rng.randrange(10**11):011d}"
        known = replace(_as_known(person, rng), doc_type=None, doc_series=None, doc_number=None)
        return [
            _record(
                "zags",
                "zags.name_change",
                known,
                date_from=truth.date_from,
                external_id=act,
                attributes={"act_number": act, "new_surname": a.get("new_surname", "")},
            )
        ]
    if kind == "passport_replaced":
        known = replace(person, doc_type=person.doc_type or "14")
        return [
            _record(
                "mvd",
                "mvd.passport_invalid",
                known,
                date_from=truth.date_from,
                attributes={
                    "reason": a.get("reason", "replaced"),
                    "new_series": a.get("new_series", ""),
                    "new_number": a.get("new_number", ""),
                },
            )
        ]
    if kind == "employed" and truth.date_from and truth.date_to:
        inn = a.get("employer_inn", "5000000000")
        amount = f"{int(a.get('monthly_amount', '30000')):d}.00"
        reg = f"087-{inn[2:5]}-{inn[5:10]}"
        in_sfr, in_fns = _as_known(person, rng), _as_known(person, rng)
        with_fns = rng.random() < 0.8
        out = []
        for first, last in _months(truth.date_from, truth.date_to):
            out.append(
                _record(
                    "sfr",
                    "sfr.contributions",
                    in_sfr,
                    date_from=first,
                    date_to=last,
                    attributes={"employer_reg_number": reg, "employer_inn": inn, "amount": amount},
                )
            )
            if with_fns:
                out.append(
                    _record(
                        "fns",
                        "fns.income",
                        in_fns,
                        date_from=first,
                        date_to=last,
                        attributes={"employer_inn": inn, "amount": amount, "income_code": "2000"},
                    )
                )
        return out
    return []


def strangers_random(seed: int) -> random.Random:
    """The strangers' own random stream, derived from ``seed``: a register generated with the
    same seed draws its SNILS first from ``Random(seed)``, and strangers drawn from that stream
    took register persons' SNILS and names (false matches in the benchmarks)."""
    return random.Random(f"strangers:{seed}")  # noqa: S311  (synthetic data, reproducible by design)


@dataclass(frozen=True)
class RegisterIdentifiers:
    """The SNILS, ENP and documents on the register: a stranger never takes one."""

    snils: frozenset[str]
    enp: frozenset[str]
    documents: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, records: Iterable[PersonRecord]) -> RegisterIdentifiers:
        snils, enp, documents = set(), set(), set()
        for r in records:
            if r.snils:
                snils.add(r.snils)
            if r.enp:
                enp.add(r.enp)
            if r.doc_series and r.doc_number:
                documents.add((r.doc_series, r.doc_number))
        return cls(frozenset(snils), frozenset(enp), frozenset(documents))

    def shared(self, person: PersonRecord | SourceRecord) -> bool:
        return (
            (person.snils is not None and person.snils in self.snils)
            or (person.enp is not None and person.enp in self.enp)
            or (person.doc_series, person.doc_number) in self.documents
        )


def _stranger(rng: random.Random, index: int, register: RegisterIdentifiers) -> PersonRecord:
    sex = rng.choice(["male", "female"])
    birth = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    person = PersonRecord(
        unique_id=f"noise-{index}",
        surname=surname_form(rng.choice(ALL_SURNAMES), sex),
        first_name=rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES),
        patronymic=patronymic(rng.choice(MALE_NAMES), sex),
        birth_date=birth,
        sex=sex,
        snils=None,
        enp=None,
        doc_type="14",
        doc_series=None,
        doc_number=None,
    )
    while person.snils is None or register.shared(person):
        person = replace(
            person,
            snils=complete_snils(f"{rng.randrange(2_000_000, 999_999_999):09d}"),
            doc_series=f"{rng.randrange(1, 99):02d}{rng.randrange(0, 26):02d}",
            doc_number=f"{rng.randrange(10**6):06d}",
        )
    return person


def source_answers(
    records: Sequence[PersonRecord],
    truths: Sequence[PlantedTruth],
    *,
    year: int,
    seed: int = 20261124,
    noise_share: float = 0.2,
) -> dict[str, list[SourceRecord]]:
    """The facts each source (by code) states: from the truths, plus noise about strangers
    (``noise_share`` of the truths' count, spread over the kinds). Strangers come from their own
    random stream (``strangers_random``) and never share a SNILS, ENP or document with the
    register, whatever the seed (the register's may be the same)."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, reproducible by design)
    by_id = {r.unique_id: r for r in records}
    answers: dict[str, list[SourceRecord]] = {c: [] for c in ("fns", "sfr", "zags", "mvd", "military")}
    for truth in truths:
        person = by_id.get(truth.subject_id)
        if person is None:
            continue
        for fact in _facts(truth, person, rng):
            answers[fact.source].append(fact)
    noise_kinds = ("dead", "employed", "entrepreneur", "military", "missing", "passport_replaced")
    register = RegisterIdentifiers.of(records)
    rng = strangers_random(seed)
    for i in range(int(len(truths) * noise_share)):
        stranger = _stranger(rng, i, register)
        start = date(year, rng.randint(1, 12), rng.randint(1, 28))
        kind = rng.choice(noise_kinds)
        attrs = {
            "service": "contract",
            "reason": "lost",
            "new_series": "",
            "new_number": "",
            "employer_inn": f"50{rng.randrange(10**8):08d}",
            "monthly_amount": "40000",
        }
        end = date(year, 12, 31) if kind == "employed" else None
        noise = PlantedTruth(stranger.unique_id, kind, start, end, attributes=attrs)
        for fact in _facts(noise, stranger, rng):
            if register.shared(fact):  # a source's other document of the stranger: theirs instead
                fact = replace(fact, doc_series=stranger.doc_series, doc_number=stranger.doc_number)
            answers[fact.source].append(fact)
    return answers


def answer_files(answers: dict[str, list[SourceRecord]], media_type: str) -> dict[str, bytes]:
    """Each source's answer as one file of ``media_type`` (``text/csv`` or ``application/xml``)."""
    return {code: adapter_for(code).write_answer_file(facts, media_type) for code, facts in answers.items()}


def source_knowledge(answers: dict[str, list[SourceRecord]]) -> dict[str, SourceKnowledge]:
    """What each source holds, for ``SimulatorTransport``."""
    return {code: SourceKnowledge(facts) for code, facts in answers.items()}
