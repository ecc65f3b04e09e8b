"""Shared loading for the deployment checks: docker-compose.yml, deploy/, the services'
settings. The checks themselves live in the test modules, as functions that return the
problems they find, so every one of them is also shown failing on a broken input."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parents[2]

# The documented ports of the distributed shape (docs/operations.md).
PORTS = {"gateway": 8000, "registry": 8001, "finance": 8002, "pharmacy": 8003, "verification": 8004}
# Compose services that are not one of ours.
INFRASTRUCTURE = {"postgres", "rabbitmq", "nginx"}
MIGRATE_SUFFIX = "-migrate"

_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def service_packages() -> set[str]:
    """Service packages: ``services/<name>/<name>/main.py`` (not the kit, not the composition root)."""
    return {d.name for d in (REPO / "services").iterdir() if (d / d.name / "main.py").is_file()}


def settings_class(service: str) -> type[BaseSettings]:
    module = importlib.import_module(f"{service}.config")
    cls = module.Settings
    assert issubclass(cls, BaseSettings)
    return cls


def route_paths(app: FastAPI) -> set[str]:
    """Every path an app serves (FastAPI keeps included routers nested; this flattens them)."""
    return {context.path for context in iter_route_contexts(app.routes) if context.path}


def consumer_queues() -> set[str]:
    """The queues the services consume from (``handlers.queue`` of every service with handlers)."""
    queues = set()
    for name in sorted(service_packages()):
        if (REPO / "services" / name / name / "events" / "handlers.py").is_file():
            handlers = importlib.import_module(f"{name}.events.handlers").handlers
            if handlers.by_type:
                queues.add(handlers.queue)
    return queues


def env_names(cls: type[BaseSettings]) -> dict[str, str]:
    """Environment variable → field, by the name a deployment is meant to use: the
    field's ``validation_alias`` when it has one, otherwise ``env_prefix`` + field name
    (pydantic-settings also accepts prefix + field name next to an alias when
    ``populate_by_name`` is on, but that second spelling is not one to deploy with)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, field in cls.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names[alias.upper()] = field_name
        elif isinstance(alias, AliasChoices):
            for choice in alias.choices:
                if isinstance(choice, str):
                    names[choice.upper()] = field_name
        else:
            names[f"{prefix}{field_name}".upper()] = field_name
    return names


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``."""

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if name in variables and (variables[name] or not (op or "").startswith(":")):
            return variables[name]
        if op in (":-", "-"):
            return arg or ""
        if op in (":?", "?"):
            raise KeyError(f"{name} is required: {arg}")
        return ""

    return _INTERPOLATION.sub(replace, value.replace("$$", "\0")).replace("\0", "$")


def interpolated_names(text: str) -> dict[str, str | None]:
    """Variables a text interpolates → their op (``:-``, ``:?`` … or None)."""
    return {m["name"]: m["op"] for m in _INTERPOLATION.finditer(text)}


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path}: not KEY=VALUE: {line!r}"
        values[key.strip()] = value.strip()
    return values


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


@pytest.fixture(scope="session")
def deploy() -> SimpleNamespace:
    """The helpers above, for the test modules (conftest is not importable by name)."""
    return SimpleNamespace(
        REPO=REPO,
        PORTS=PORTS,
        INFRASTRUCTURE=INFRASTRUCTURE,
        MIGRATE_SUFFIX=MIGRATE_SUFFIX,
        service_packages=service_packages,
        settings_class=settings_class,
        consumer_queues=consumer_queues,
        route_paths=route_paths,
        env_names=env_names,
        interpolate=interpolate,
        interpolated_names=interpolated_names,
        read_env_file=read_env_file,
        environment_of=environment_of,
    )


@pytest.fixture(scope="session")
def compose_text() -> str:
    return (REPO / "docker-compose.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def compose(compose_text: str) -> dict[str, Any]:
    document = yaml.safe_load(compose_text)
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="session")
def env_example() -> dict[str, str]:
    return read_env_file(REPO / "deploy" / "env.example")


@pytest.fixture(scope="session")
def packages() -> set[str]:
    return service_packages()


@pytest.fixture(scope="session")
def env_names_by_service(packages: set[str]) -> dict[str, dict[str, str]]:
    return {name: env_names(settings_class(name)) for name in sorted(packages)}
