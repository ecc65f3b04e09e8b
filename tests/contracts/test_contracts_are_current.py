"""The committed contracts/ equal what the code generates (the same check as
``make contracts-check``): an API or event change without ``make contracts`` fails here."""

from __future__ import annotations

from pathlib import Path

from oms_embedded import contracts


def test_committed_contracts_match_the_code() -> None:
    differences = contracts.check()
    assert not differences, contracts.report(differences)


def test_check_reports_changed_missing_and_stale_files(tmp_path: Path) -> None:
    contracts.write(tmp_path)
    assert contracts.check(tmp_path) == []
    registry = tmp_path / "contracts" / "openapi" / "registry.json"
    registry.write_text(registry.read_text(encoding="utf-8").replace("{", "{ ", 1), encoding="utf-8")
    (tmp_path / "contracts" / "asyncapi.yaml").unlink()
    (tmp_path / "contracts" / "openapi" / "billing.json").write_text("{}\n")
    found = {(str(d.path), d.reason) for d in contracts.check(tmp_path)}
    assert found == {
        ("contracts/openapi/registry.json", "differs"),
        ("contracts/asyncapi.yaml", "missing"),
        ("contracts/openapi/billing.json", "stale"),
    }
    assert "make contracts" in contracts.report(contracts.check(tmp_path))
    contracts.write(tmp_path)
    assert contracts.check(tmp_path) == []


def test_output_is_stable() -> None:
    assert contracts.generate() == contracts.generate()
    for path, content in contracts.generate().items():
        assert content.endswith("\n") and not content.endswith("\n\n"), path
