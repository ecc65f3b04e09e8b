"""The register a run trains on: all of it up to TRAINING_SAMPLE records, a uniform sample of
that many beyond (the same one for the same register)."""

import pyarrow as pa

from verification.runs.scoring import training_sample


def _register(rows: int) -> pa.Table:
    return pa.table(
        {"unique_id": [str(i) for i in range(rows)], "birth_year": [1940 + i % 60 for i in range(rows)]}
    )


def test_a_register_within_the_size_trains_whole() -> None:
    register = _register(1_000)
    assert training_sample(register, size=1_000) is register


def test_a_larger_register_trains_on_a_uniform_sample_of_the_size_the_same_each_time() -> None:
    register = _register(20_000)
    sample = training_sample(register, size=5_000)
    assert sample.num_rows == 5_000
    ids = [int(v) for v in sample.column("unique_id").to_pylist()]
    assert len(set(ids)) == 5_000 and ids == sorted(ids)  # distinct records, in register order
    assert training_sample(register, size=5_000).equals(sample)  # reproducible
    assert not training_sample(register, size=5_000, seed=7).equals(sample)
    # Uniform: each quarter of the register gives about a quarter of the sample.
    quarters = [sum(1 for i in ids if q * 5_000 <= i < (q + 1) * 5_000) for q in range(4)]
    assert all(1_100 < n < 1_400 for n in quarters), quarters
    # and the columns stay with their records
    years = dict(
        zip(sample.column("unique_id").to_pylist(), sample.column("birth_year").to_pylist(), strict=True)
    )
    assert all(years[str(i)] == 1940 + i % 60 for i in ids[:100])
