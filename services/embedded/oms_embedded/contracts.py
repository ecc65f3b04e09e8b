"""``python -m oms_embedded.contracts write|check``: the API and event contracts in contracts/.

- ``contracts/openapi/<service>.json`` — ``app.openapi()`` of each service's app, built
  with its factory (no lifespan: nothing is started to describe the API);
- ``contracts/asyncapi.yaml`` — every service's published events (``<svc>.events.published``)
  and consumed ones (``<svc>.events.handlers``), through ``oms_kit.events.asyncapi``.

The files are generated, committed, and reviewed like code: the SPA's client is generated
from them, and ``check`` (``make contracts-check``, part of ``make test``) fails when the code
and the committed files disagree. Output is stable: sorted keys, two-space indent, UTF-8,
trailing newline. This module belongs to the composition root, the one place that may
import every service."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from oms_embedded.services import ALL_SERVICES, SERVICES, repo_root
from oms_kit.events import EventPayload
from oms_kit.events.asyncapi import build_asyncapi

OPENAPI_DIR = Path("contracts") / "openapi"
ASYNCAPI_FILE = Path("contracts") / "asyncapi.yaml"


@dataclass(frozen=True)
class Difference:
    path: Path  # relative to the repository root
    reason: str  # "differs", "missing" or "stale"
    diff: str = ""

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


def dump_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def dump_yaml(document: dict[str, Any]) -> str:
    text: str = yaml.safe_dump(
        document, sort_keys=True, indent=2, allow_unicode=True, default_flow_style=False, width=100
    )
    return text if text.endswith("\n") else text + "\n"


def openapi_documents() -> dict[str, dict[str, Any]]:
    """``app.openapi()`` of every service, by service name."""
    documents = {}
    for name in ALL_SERVICES:
        app = SERVICES[name].module("main").create_app()
        documents[name] = app.openapi()
    return documents


def published_events() -> dict[str, list[type[EventPayload]]]:
    return {name: list(SERVICES[name].module("events.published").PUBLISHED) for name in ALL_SERVICES}


def consumed_events() -> dict[str, list[type[EventPayload]]]:
    """Payload models each service's handlers take; a service without handlers consumes none."""
    consumed: dict[str, list[type[EventPayload]]] = {}
    for name in ALL_SERVICES:
        module = SERVICES[name].optional_module("events.handlers")
        by_type = module.handlers.by_type if module is not None else {}
        consumed[name] = [by_type[event_type].payload_model for event_type in sorted(by_type)]
    return consumed


def asyncapi_document() -> dict[str, Any]:
    document: dict[str, Any] = build_asyncapi(published_events(), consumed_events())
    return document


def generate() -> dict[Path, str]:
    """Every contract file, path (relative to the repository root) → content."""
    files = {OPENAPI_DIR / f"{name}.json": dump_json(doc) for name, doc in openapi_documents().items()}
    files[ASYNCAPI_FILE] = dump_yaml(asyncapi_document())
    return files


def _stale(root: Path, generated: dict[Path, str]) -> list[Path]:
    directory = root / OPENAPI_DIR
    if not directory.is_dir():
        return []
    return sorted(
        p.relative_to(root) for p in directory.glob("*.json") if p.relative_to(root) not in generated
    )


def write(root: Path | None = None) -> list[Path]:
    """Regenerate contracts/; returns the files written or removed."""
    root = root or repo_root()
    generated = generate()
    changed = []
    for relative, content in generated.items():
        path = root / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            changed.append(relative)
    for relative in _stale(root, generated):
        (root / relative).unlink()
        changed.append(relative)
    return changed


def check(root: Path | None = None) -> list[Difference]:
    """Compare the committed contracts with freshly generated ones (nothing is written)."""
    root = root or repo_root()
    generated = generate()
    differences = []
    for relative, content in generated.items():
        path = root / relative
        if not path.is_file():
            differences.append(Difference(relative, "missing"))
            continue
        committed = path.read_text(encoding="utf-8")
        if committed != content:
            diff = "".join(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    content.splitlines(keepends=True),
                    fromfile=f"{relative} (committed)",
                    tofile=f"{relative} (from the code)",
                    n=2,
                )
            )
            differences.append(Difference(relative, "differs", diff))
    differences += [Difference(relative, "stale") for relative in _stale(root, generated)]
    return differences


def report(differences: Sequence[Difference], *, max_diff_lines: int = 40) -> str:
    lines = ["contracts/ does not match the code:"]
    lines += [f"  {difference}" for difference in differences]
    lines.append("run `make contracts` and commit the result")
    for difference in differences:
        if difference.diff:
            diff_lines = difference.diff.splitlines()
            lines.append("")
            lines += diff_lines[:max_diff_lines]
            if len(diff_lines) > max_diff_lines:
                lines.append(f"… {len(diff_lines) - max_diff_lines} more lines")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m oms_embedded.contracts",
        description="Generate (write) or verify (check) contracts/openapi/*.json and "
        "contracts/asyncapi.yaml.",
    )
    parser.add_argument("command", choices=["write", "check"])
    command = parser.parse_args(argv).command
    if command == "write":
        changed = write()
        for relative in changed:
            print(f"updated {relative}")
        if not changed:
            print("contracts/ is up to date")
        return 0
    differences = check()
    if differences:
        print(report(differences), file=sys.stderr)
        return 1
    print("contracts/ matches the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
