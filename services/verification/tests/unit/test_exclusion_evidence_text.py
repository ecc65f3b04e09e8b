"""The exclusion list's evidence column names each accepted fact's source: a source record's
source, the registry for its own death records (no source record), the register for a
duplicate pair."""

from datetime import date

from verification.actual_register.rows import evidence_text
from verification.deaths import REGISTRY_DEATH_KIND, REGISTRY_SOURCE_TITLE
from verification.rules import Evidence


def test_a_registry_death_is_named_by_its_source_not_as_a_duplicate() -> None:
    record_id = "2b1f0c6e-7d1a-4f0e-9a51-3b8f6f0e9a11"
    evidence = {
        "items": [
            Evidence(
                reason="dead",
                status="auto",
                match_probability=1.0,
                kind=REGISTRY_DEATH_KIND,
                source=REGISTRY_SOURCE_TITLE,
                date_from=date(2025, 9, 10),
            ).as_json(),
            {"reason": "dead", "status": "confirmed", "match_probability": 0.91, "record_id": record_id},
            {"reason": "duplicate", "status": "auto", "match_probability": 0.99, "other_subject_id": "x"},
            {"reason": "employed", "status": "review", "match_probability": 0.85, "record_id": record_id},
        ]
    }
    records = {record_id: {"source": "zags", "kind": "zags.death"}}
    assert evidence_text(evidence, records) == (
        "Регистр застрахованных (ЕРЗ): registry.death от 10.09.2025, p=1.000; "
        "ЗАГС: zags.death, p=0.910, подтверждено оператором; "
        "Регистр (дубль): duplicate, p=0.990"
    )
