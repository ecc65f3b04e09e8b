"""Synthetic source answers follow the planted truths: every truth a source can reveal is in
that source's answer with the truth's dates, persons are sometimes known differently, strangers
are there too, and the answer files read back whole."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from verification.sources import SourceRecord, adapter_for
from verification.synthetic.register import SyntheticRegister, generate_register
from verification.synthetic.source_answers import answer_files, source_answers

TRUTH_KIND = {
    "dead": "zags.death",
    "missing": "mvd.missing",
    "military": "military.service",
    "entrepreneur": "fns.entrepreneur",
    "name_changed": "zags.name_change",
    "passport_replaced": "mvd.passport_invalid",
}


@pytest.fixture(scope="module")
def register() -> SyntheticRegister:
    return generate_register(4_000, seed=7, year=2025)


@pytest.fixture(scope="module")
def answers(register: SyntheticRegister) -> dict[str, list[SourceRecord]]:
    return source_answers(register.records, register.truths, year=2025, seed=7)


def _register_keys(register: SyntheticRegister) -> set[tuple[object, ...]]:
    return {(r.surname, r.first_name, r.birth_date) for r in register.records}


def test_every_truth_is_answered_with_its_dates(register: SyntheticRegister, answers: dict) -> None:
    by_person = {r.unique_id: r for r in register.records}
    facts = [f for facts in answers.values() for f in facts]
    for truth in register.truths:
        kind = TRUTH_KIND.get(truth.kind)
        if kind is None:
            continue
        person = by_person[truth.subject_id]
        found = [
            f
            for f in facts
            if f.kind == kind and f.birth_date == person.birth_date and f.date_from == truth.date_from
        ]
        assert found, (truth, person)
        if truth.kind == "name_changed":
            assert found[0].attributes["new_surname"] == truth.attributes["new_surname"]
        if truth.kind == "passport_replaced":
            assert (found[0].doc_series, found[0].doc_number) == (person.doc_series, person.doc_number)
            assert found[0].attributes["new_number"] == truth.attributes["new_number"]


def test_employment_is_one_record_a_month(register: SyntheticRegister, answers: dict) -> None:
    truth = next(t for t in register.truths if t.kind == "employed")
    person = next(r for r in register.records if r.unique_id == truth.subject_id)
    months = [
        f for f in answers["sfr"] if f.birth_date == person.birth_date and f.date_from >= truth.date_from
    ]
    expected = (
        (truth.date_to.year - truth.date_from.year) * 12 + truth.date_to.month - truth.date_from.month + 1
    )
    assert len({f.date_from for f in months if f.date_to <= truth.date_to}) == expected
    assert all(f.date_from.day == 1 for f in months)


def test_persons_are_sometimes_known_differently_and_strangers_are_answered(
    register: SyntheticRegister, answers: dict
) -> None:
    keys = _register_keys(register)
    snils = {r.snils for r in register.records}
    facts = [f for facts in answers.values() for f in facts]
    differs = Counter(
        "latin" if (f.surname or "").isascii() else "no_snils" if f.snils is None else "name"
        for f in facts
        if (f.surname, f.first_name, f.birth_date) not in keys or f.snils is None
    )
    assert differs["latin"] > 0 and differs["no_snils"] > 0 and differs["name"] > 0
    strangers = [f for f in facts if f.snils is not None and f.snils not in snils]
    assert len(strangers) > 0


def test_the_same_seed_gives_the_same_answers(register: SyntheticRegister, answers: dict) -> None:
    again = source_answers(register.records, register.truths, year=2025, seed=7)
    assert {c: [f.fingerprint() for f in fs] for c, fs in again.items()} == {
        c: [f.fingerprint() for f in fs] for c, fs in answers.items()
    }


@pytest.mark.parametrize("media_type", ["text/csv", "application/xml"])
def test_answer_files_read_back_without_rejections(answers: dict, media_type: str) -> None:
    for code, data in answer_files(answers, media_type).items():
        read = list(adapter_for(code).read_answer_file(io.BytesIO(data), media_type))
        assert all(isinstance(r, SourceRecord) for r in read)
        assert len(read) == len(answers[code]) > 0


@pytest.mark.parametrize("seed", [7, 11, 20261124])
def test_strangers_never_share_an_identifier_with_the_register_of_the_same_seed(seed: int) -> None:
    """The strangers come after the truths' facts in each source's answer, from a stream of
    their own: the answers without strangers are the same prefix, and no stranger's fact has a
    SNILS, ENP or document of a register person (the register generated with the same seed)."""
    register = generate_register(3_000, seed=seed, year=2025)
    truths_only = source_answers(register.records, register.truths, year=2025, seed=seed, noise_share=0.0)
    answers = source_answers(register.records, register.truths, year=2025, seed=seed, noise_share=1.0)
    snils = {r.snils for r in register.records if r.snils}
    enp = {r.enp for r in register.records if r.enp}
    documents = {(r.doc_series, r.doc_number) for r in register.records if r.doc_number}
    strangers = []
    for code, facts in answers.items():
        known = truths_only[code]
        assert [f.fingerprint() for f in facts[: len(known)]] == [f.fingerprint() for f in known]
        strangers += facts[len(known) :]
    assert len(strangers) >= len(register.truths)  # one fact or more per stranger
    assert [f for f in strangers if f.snils in snils] == []
    assert [f for f in strangers if f.enp is not None and f.enp in enp] == []
    assert [f for f in strangers if (f.doc_series, f.doc_number) in documents] == []
