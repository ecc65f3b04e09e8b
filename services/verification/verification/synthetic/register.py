"""A deterministic synthetic register of non-working insured persons with planted truths.

The same ``seed`` and ``size`` give the same register. Persons have Russian names in their
gender forms, birth dates of the non-working population (children, pensioners, the
unemployed), valid SNILS and ENP check digits, documents and districts. Planted into it:

- duplicates (a second, sometimes a third record of a person): a typo in a name, day and
  month swapped, a mistyped date digit, the names in Latin letters, a married woman's new
  surname, the SNILS missing; many also carry a new ENP (a policy issued again) or no
  document;
- the other truths a source will reveal within the verified year: dead, employed,
  entrepreneur, military, missing, name_changed, passport_replaced.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate, combinations

import pyarrow as pa

from oms_kit.identifiers import complete_enp, complete_snils
from oms_kit.synthetic_names import ALL_SURNAMES, FEMALE_NAMES, MALE_NAMES, patronymic, surname_form
from verification.linkage.frames import records_to_arrow
from verification.linkage.records import PersonRecord
from verification.synthetic.distortions import distort
from verification.synthetic.truths import PlantedTruth

DISTRICTS = tuple(f"{code:02d}" for code in range(1, 25))
DUPLICATE_KINDS = ("typo", "swapped_day_month", "date_typo", "latin", "married_surname", "missing_snils")
# Share of the base persons carrying each non-duplicate truth.
TRUTH_SHARES = {
    "dead": 0.012,
    "employed": 0.05,
    "entrepreneur": 0.01,
    "military": 0.004,
    "missing": 0.001,
    "name_changed": 0.004,
    "passport_replaced": 0.005,
}
REGION_ENP_PREFIX = "50"  # first digits of ENPs issued in the synthetic region


@dataclass(frozen=True)
class SyntheticRegister:
    year: int
    records: list[PersonRecord]
    truths: list[PlantedTruth]

    def to_arrow(self) -> pa.Table:
        return records_to_arrow(self.records)

    def truths_of(self, kind: str) -> list[PlantedTruth]:
        return [t for t in self.truths if t.kind == kind]

    def duplicate_clusters(self) -> dict[str, str]:
        """unique_id → the id of its person's original record, for every record."""
        cluster = {r.unique_id: r.unique_id for r in self.records}
        for t in self.truths_of("duplicate"):
            assert t.duplicate_of is not None
            cluster[t.subject_id] = t.duplicate_of
        return cluster

    def duplicate_pairs(self) -> set[tuple[str, str]]:
        """Every pair of records of the same person (ordered ids), the pairwise truth of dedupe."""
        members: dict[str, list[str]] = {}
        for t in self.truths_of("duplicate"):
            assert t.duplicate_of is not None
            members.setdefault(t.duplicate_of, [t.duplicate_of]).append(t.subject_id)
        pairs: set[tuple[str, str]] = set()
        for ids in members.values():
            for a, b in combinations(sorted(ids), 2):
                pairs.add((a, b))
        return pairs


def _zipf_weights(n: int, s: float = 0.8) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def _birth_date(rng: random.Random, year: int) -> date:
    """Non-working population: children, pensioners, and the unemployed of working age."""
    group = rng.random()
    if group < 0.35:
        age = rng.randint(0, 17)
    elif group < 0.75:
        age = rng.randint(60, 95)
    else:
        age = rng.randint(18, 59)
    start = date(year - age - 1, 1, 1)
    return start + timedelta(days=rng.randrange(365))


def _document(rng: random.Random, birth: date, year: int) -> tuple[str, str, str]:
    if year - birth.year >= 14:
        return "14", f"{rng.randrange(100):02d}{rng.randrange(100):02d}", f"{rng.randrange(1_000_000):06d}"
    return "03", f"{rng.choice('IVX')}-ЛО", f"{rng.randrange(1_000_000):06d}"


class _Generator:
    def __init__(self, size: int, seed: int, year: int, duplicate_share: float) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, reproducible by design)
        self.size = size
        self.year = year
        self.duplicate_share = duplicate_share
        self.next_id = 0
        self.surname_cum_weights = list(accumulate(_zipf_weights(len(ALL_SURNAMES))))
        self.snils_numbers = self.rng.sample(range(2_000_000, 999_999_999), size)
        self.enp_numbers = self.rng.sample(range(10**12), size + size // 4)
        self.enp_used = 0

    def uid(self) -> str:
        self.next_id += 1
        return f"R{self.next_id:08d}"

    def enp(self) -> str:
        number = self.enp_numbers[self.enp_used]
        self.enp_used += 1
        return complete_enp(f"{REGION_ENP_PREFIX}{number:013d}")

    def person(self, index: int) -> PersonRecord:
        rng = self.rng
        sex = "male" if rng.random() < 0.48 else "female"
        surname = surname_form(rng.choices(ALL_SURNAMES, cum_weights=self.surname_cum_weights)[0], sex)
        first = rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES)
        birth = _birth_date(rng, self.year)
        doc_type, series, number = _document(rng, birth, self.year)
        no_snils = rng.random() < 0.03
        no_doc = rng.random() < 0.02
        return PersonRecord(
            unique_id=self.uid(),
            surname=surname,
            first_name=first,
            patronymic=patronymic(rng.choice(MALE_NAMES), sex),
            birth_date=birth,
            sex=sex,
            snils=None if no_snils else complete_snils(f"{self.snils_numbers[index]:09d}"),
            enp=self.enp(),
            doc_type=None if no_doc else doc_type,
            doc_series=None if no_doc else series,
            doc_number=None if no_doc else number,
            district=rng.choice(DISTRICTS),
        )

    def duplicate(self, original: PersonRecord) -> tuple[PersonRecord, PlantedTruth]:
        rng = self.rng
        dup, kind = distort(original, rng.choice(DUPLICATE_KINDS), rng, self.uid(), date(self.year, 12, 31))
        if rng.random() < 0.4:
            dup = replace(dup, enp=self.enp())  # a policy issued again
        if rng.random() < 0.2:
            dup = replace(dup, doc_type=None, doc_series=None, doc_number=None)
        if rng.random() < 0.15 and kind != "missing_snils":
            dup = replace(dup, snils=None)
        if rng.random() < 0.1:
            dup = replace(dup, district=rng.choice(DISTRICTS))  # registered again after a move
        truth = PlantedTruth(
            subject_id=dup.unique_id,
            kind="duplicate",
            date_from=None,
            date_to=None,
            duplicate_of=original.unique_id,
            attributes={"distortion": kind},
        )
        return dup, truth

    def day_in_year(self) -> date:
        return date(self.year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def truth(self, record: PersonRecord, kind: str) -> PlantedTruth | None:
        rng = self.rng
        uid = record.unique_id
        age = self.year - (record.birth_date.year if record.birth_date else self.year - 40)
        if kind in ("employed", "entrepreneur", "military", "missing") and not 18 <= age <= 65:
            return None
        if kind == "military" and record.sex != "male":
            return None
        if kind == "name_changed" and (record.sex != "female" or age < 18):
            return None
        if kind == "passport_replaced" and not record.doc_number:
            return None
        if kind == "dead":
            return PlantedTruth(uid, kind, self.day_in_year(), None)
        if kind == "missing":
            return PlantedTruth(uid, kind, self.day_in_year(), None)
        if kind == "employed":
            first = rng.randint(1, 12)
            last = rng.randint(first, 12)
            end = date(self.year, last, 1) + timedelta(days=31)
            return PlantedTruth(
                uid,
                kind,
                date(self.year, first, 1),
                date(end.year, end.month, 1) - timedelta(days=1),
                attributes={
                    "employer_inn": f"50{rng.randrange(10**8):08d}",
                    "monthly_amount": str(rng.randint(20, 150) * 1000),
                },
            )
        if kind == "entrepreneur":
            start = (
                self.day_in_year()
                if rng.random() < 0.6
                else date(self.year - rng.randint(1, 5), 1, 1) + timedelta(days=rng.randrange(365))
            )
            stop = self.day_in_year() if rng.random() < 0.3 else None
            if stop is not None and stop <= start:
                stop = None
            return PlantedTruth(
                uid,
                kind,
                start,
                stop,
                attributes={
                    "inn": f"50{rng.randrange(10**10):010d}",
                    "ogrnip": f"3{rng.randrange(10**14):014d}",
                },
            )
        if kind == "military":
            start = self.day_in_year()
            service = "conscript" if age <= 27 and rng.random() < 0.7 else "contract"
            stop = start + timedelta(days=365) if service == "conscript" else None
            return PlantedTruth(uid, kind, start, stop, attributes={"service": service})
        if kind == "name_changed":
            new = surname_form(rng.choice(ALL_SURNAMES), "female")
            return PlantedTruth(
                uid,
                kind,
                self.day_in_year(),
                None,
                attributes={"old_surname": record.surname or "", "new_surname": new},
            )
        if kind == "passport_replaced":
            _, series, number = _document(rng, date(1980, 1, 1), self.year)
            return PlantedTruth(
                uid,
                kind,
                self.day_in_year(),
                None,
                attributes={
                    "reason": rng.choice(["replaced", "replaced", "invalid", "lost"]),
                    "old_series": record.doc_series or "",
                    "old_number": record.doc_number or "",
                    "new_series": series,
                    "new_number": number,
                },
            )
        return None

    def build(self) -> SyntheticRegister:
        rng = self.rng
        n_dup = int(self.size * self.duplicate_share)
        n_base = self.size - n_dup
        records = [self.person(i) for i in range(n_base)]
        truths: list[PlantedTruth] = []
        originals = rng.sample(range(n_base), n_dup)
        # About one duplicated person in ten has two extra records.
        for j in range(n_dup):
            idx = (
                originals[j]
                if j < int(n_dup * 0.9) or j == 0
                else originals[rng.randrange(int(n_dup * 0.9) or 1)]
            )
            dup, truth = self.duplicate(records[idx])
            records.append(dup)
            truths.append(truth)
        duplicated = {t.duplicate_of for t in truths}
        for kind, share in TRUTH_SHARES.items():
            for i in rng.sample(range(n_base), int(n_base * share)):
                record = records[i]
                if record.unique_id in duplicated:
                    continue
                planted = self.truth(record, kind)
                if planted is not None:
                    truths.append(planted)
        rng.shuffle(records)
        return SyntheticRegister(year=self.year, records=records, truths=truths)


def generate_register(
    size: int, *, seed: int = 20261124, year: int = 2025, duplicate_share: float = 0.02
) -> SyntheticRegister:
    """The synthetic register of ``size`` records (duplicates included) for the verified ``year``."""
    if size < 10:
        raise ValueError("size must be at least 10")
    return _Generator(size, seed, year, duplicate_share).build()


def iter_records(register: SyntheticRegister) -> Iterator[PersonRecord]:
    return iter(register.records)
