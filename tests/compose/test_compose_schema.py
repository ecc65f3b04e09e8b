"""docker-compose.yml is valid against the Compose Specification's JSON schema.

No Docker engine is needed: the schema is vendored as ``compose-spec.json`` next to this
file, byte for byte the ``compose/config/compose_spec.json`` that the ``docker-compose``
1.29.2 distribution on PyPI ships (the Compose Specification schema, Apache-2.0;
``pip download --no-deps docker-compose==1.29.2`` and unzip to refresh it). It predates a
few newer keys (top-level ``name``, ``depends_on.required``, ``develop``), which the
compose file therefore does not use."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SCHEMA_PATH = Path(__file__).with_name("compose-spec.json")


def compose_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft201909Validator(compose_schema())
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    )


def test_vendored_schema_is_the_compose_specification() -> None:
    schema = compose_schema()
    jsonschema.Draft201909Validator.check_schema(schema)
    assert schema["title"] == "Compose Specification"
    assert {"services", "volumes", "networks", "secrets", "configs"} <= set(schema["properties"])


def test_compose_file_is_valid(compose: dict[str, Any]) -> None:
    errors = schema_errors(compose)
    assert not errors, "docker-compose.yml is not a valid Compose file:\n" + "\n".join(errors)


@pytest.mark.parametrize(
    ("what", "break_it"),
    [
        ("unknown service key", lambda d: d["services"]["registry"].update(restart_policy="always")),
        ("unknown healthcheck key", lambda d: d["services"]["registry"]["healthcheck"].update(every="5s")),
        (
            "unknown depends_on condition",
            lambda d: d["services"]["registry"]["depends_on"]["rabbitmq"].update(condition="service_ready"),
        ),
        ("ports not a list", lambda d: d["services"]["nginx"].update(ports="8080:8080")),
        ("unknown top-level key", lambda d: d.update(service={})),
    ],
)
def test_schema_catches_broken_compose_files(compose: dict[str, Any], what: str, break_it: Any) -> None:
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert schema_errors(broken), f"the schema did not catch: {what}"
