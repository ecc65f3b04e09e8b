"""docker-compose.yml and deploy/ agree with the code: service names, environment
variables, ports, Dockerfiles, upstream URLs, the RabbitMQ topology and the databases.

Every check is a function returning the problems it finds; the ``*_catches_*`` tests feed
each one a broken input, so none of them can pass by checking nothing."""

from __future__ import annotations

import copy
import os
import re
import shlex
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

Compose = dict[str, Any]


# --- services ---------------------------------------------------------------------------


def service_name_problems(compose: Compose, packages: set[str], d: SimpleNamespace) -> list[str]:
    problems = []
    names = set(compose["services"])
    for name in sorted(names):
        if name in d.INFRASTRUCTURE:
            continue
        base = name.removesuffix(d.MIGRATE_SUFFIX)
        if base not in packages:
            problems.append(
                f"compose service {name!r} is no package under services/ (nor {d.INFRASTRUCTURE})"
            )
        elif name != base and not (d.REPO / "services" / base / "migrations").is_dir():
            problems.append(f"{name!r}: services/{base} has no migrations/")
    for package in sorted(packages):
        for needed in (package, package + d.MIGRATE_SUFFIX):
            if needed not in names:
                problems.append(f"services/{package} has no compose service {needed!r}")
    return problems


def dependency_problems(compose: Compose, packages: set[str], d: SimpleNamespace) -> list[str]:
    services = compose["services"]
    problems = []
    for name, service in sorted(services.items()):
        depends = service.get("depends_on") or {}
        if isinstance(depends, list):
            problems.append(f"{name}: depends_on without conditions")
            continue
        for target, spec in depends.items():
            if target not in services:
                problems.append(f"{name}: depends on unknown service {target!r}")
            elif spec.get("condition") == "service_healthy" and "healthcheck" not in services[target]:
                problems.append(f"{name}: waits for {target} to be healthy, but {target} has no healthcheck")
    for package in sorted(packages):
        migrate = package + d.MIGRATE_SUFFIX
        condition = ((services.get(package) or {}).get("depends_on") or {}).get(migrate, {}).get("condition")
        if condition != "service_completed_successfully":
            problems.append(f"{package}: must wait for {migrate} (service_completed_successfully)")
        if ((services.get(migrate) or {}).get("depends_on") or {}).get("postgres", {}).get(
            "condition"
        ) != "service_healthy":
            problems.append(f"{migrate}: must wait for a healthy postgres")
        if "healthcheck" not in (services.get(package) or {}):
            problems.append(f"{package}: no healthcheck")
    return problems


def test_every_compose_service_is_a_package_or_infrastructure(compose, packages, deploy) -> None:
    assert service_name_problems(compose, packages, deploy) == []


def test_services_start_in_order(compose, packages, deploy) -> None:
    assert dependency_problems(compose, packages, deploy) == []


def test_service_checks_catch_mistakes(compose, packages, deploy) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["billing"] = broken["services"].pop("finance")
    found = service_name_problems(broken, packages, deploy)
    assert any("'billing'" in p for p in found) and any("'finance'" in p for p in found)

    broken = copy.deepcopy(compose)
    broken["services"]["registry"]["depends_on"].pop("registry-migrate")
    broken["services"]["nginx"]["depends_on"]["postgres-exporter"] = {"condition": "service_started"}
    found = dependency_problems(broken, packages, deploy)
    assert any("registry-migrate" in p for p in found) and any("postgres-exporter" in p for p in found)


# --- environment variables --------------------------------------------------------------


def env_var_problems(
    compose: Compose, env_names_by_service: dict[str, dict[str, str]], d: SimpleNamespace
) -> list[str]:
    """Every ``OMS_*`` variable a container gets is read by that service's Settings."""
    problems = []
    for name, service in sorted(compose["services"].items()):
        base = name.removesuffix(d.MIGRATE_SUFFIX)
        known = env_names_by_service.get(base, {})
        for variable in sorted(d.environment_of(service)):
            if variable.startswith("OMS_") and variable not in known:
                where = f"{base}.config.Settings" if base in env_names_by_service else "no Settings class"
                problems.append(f"{name}: {variable} is read by {where}")
    return problems


def test_every_oms_variable_in_compose_is_read_by_the_service_settings(
    compose, env_names_by_service, deploy
) -> None:
    assert env_var_problems(compose, env_names_by_service, deploy) == []


def test_env_var_check_catches_unread_variables(compose, env_names_by_service, deploy) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["registry"]["environment"]["OMS_REGISTRY_DB_URL"] = "postgresql://x"
    broken["services"]["finance"]["environment"]["OMS_GATEWAY_SECRET"] = "x" * 40  # another service's
    broken["services"]["nginx"]["environment"] = {"OMS_ENV": "production"}
    found = env_var_problems(broken, env_names_by_service, deploy)
    assert len(found) == 3, found


def test_settings_env_names_are_what_pydantic_settings_reads(
    env_names_by_service, deploy, monkeypatch
) -> None:
    """The names the env-var check trusts are really read (string fields are probed)."""
    for service, names in env_names_by_service.items():
        cls = deploy.settings_class(service)
        for variable, field in names.items():
            if cls.model_fields[field].annotation not in (str, str | None):
                continue
            monkeypatch.setenv(variable, "probe-value-" * 3)
            try:
                assert getattr(cls(), field) == "probe-value-" * 3, f"{service}: {variable} is not read"
            except ValidationError as refused:
                # A constrained field (a pattern, a length) refuses the probe: naming the variable
                # in the refusal proves just as well that it is read.
                assert variable in str(refused), f"{service}: {variable} is not read"
            monkeypatch.delenv(variable)


def container_settings(
    name: str, compose: Compose, env_example: dict[str, str], d: SimpleNamespace, monkeypatch
) -> Any:
    """The service's Settings as its container would build them from compose + env.example."""
    for variable in [v for v in os.environ if v.startswith("OMS_")]:
        monkeypatch.delenv(variable)
    for variable, value in d.environment_of(compose["services"][name]).items():
        monkeypatch.setenv(variable, d.interpolate(value, env_example))
    return d.settings_class(name)()


def test_each_container_builds_valid_production_settings(compose, packages, env_example, deploy, monkeypatch):
    for name in sorted(packages):
        settings = container_settings(name, compose, env_example, deploy, monkeypatch)
        assert settings.env == "production", name
        db = urlsplit(settings.database_url)
        assert db.scheme == "postgresql+asyncpg", name
        assert (db.hostname, db.port, db.path, db.username) == ("postgres", 5432, f"/oms_{name}", name)
        assert settings.broker_url, f"{name}: no OMS_BROKER_URL, so it would use the in-process bus"
        broker = urlsplit(settings.broker_url)
        assert (broker.scheme, broker.hostname, broker.port) == ("amqp", "rabbitmq", 5672), name
        jwks = urlsplit(settings.jwt_jwks_url)
        assert (jwks.hostname, jwks.port) == ("gateway", deploy.PORTS["gateway"]), name


def test_migrate_containers_get_the_same_database_as_their_service(
    compose, packages, env_example, deploy, monkeypatch
):
    for name in sorted(packages):
        service = container_settings(name, compose, env_example, deploy, monkeypatch)
        migrate = deploy.environment_of(compose["services"][name + deploy.MIGRATE_SUFFIX])
        variable = f"OMS_{name.upper()}_DATABASE_URL"
        assert deploy.interpolate(migrate[variable], env_example) == service.database_url


def test_the_jwks_url_is_a_route_of_the_gateway(compose, env_example, deploy) -> None:
    from gateway.main import create_app

    url = deploy.interpolate(deploy.environment_of(compose["services"]["registry"])["OMS_JWT_JWKS_URL"], {})
    paths = deploy.route_paths(create_app())
    assert urlsplit(url).path in paths, f"{url}: the gateway has no such route"


# --- interpolation and secrets ----------------------------------------------------------


def interpolation_problems(compose_text: str, env_example: dict[str, str], d: SimpleNamespace) -> list[str]:
    used = d.interpolated_names(compose_text)
    problems = [
        f"${{{name}}} is neither in deploy/env.example nor has a default"
        for name, op in sorted(used.items())
        if name not in env_example and op not in (":-", "-")
    ]
    problems += [
        f"deploy/env.example: {name} is not used by docker-compose.yml"
        for name in sorted(set(env_example) - set(used))
    ]
    return problems


def test_every_interpolated_variable_is_in_env_example(compose_text, env_example, deploy) -> None:
    assert interpolation_problems(compose_text, env_example, deploy) == []


def test_interpolation_check_catches_undefined_and_stale_variables(compose_text, env_example, deploy) -> None:
    found = interpolation_problems(
        compose_text + "\n# ${SMTP_PASSWORD:?}\n", {**env_example, "OLD": "x"}, deploy
    )
    assert any("SMTP_PASSWORD" in p for p in found) and any("OLD" in p for p in found)


def literal_secrets(compose: Compose, d: SimpleNamespace) -> list[str]:
    """Passwords and secrets in compose are only ever ``${VARIABLE}`` references."""
    problems = []
    for name, service in sorted(compose["services"].items()):
        for variable, value in d.environment_of(service).items():
            secrets = [value] if re.search(r"PASSWORD|SECRET", variable) else []
            secrets += [urlsplit(value).password or ""] if "://" in value else []
            problems += [
                f"{name}: {variable} holds a literal secret" for s in secrets if s and not s.startswith("${")
            ]
    return problems


def test_no_secret_is_committed(compose, env_example, env_names_by_service, deploy) -> None:
    assert literal_secrets(compose, deploy) == []
    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["environment"]["OMS_GATEWAY_SECRET"] = "s3cret-" * 6
    broken["services"]["finance"]["environment"]["OMS_FINANCE_DATABASE_URL"] = (
        "postgresql://finance:pw@postgres/x"
    )
    assert len(literal_secrets(broken, deploy)) == 2
    for key, value in env_example.items():
        if re.search(r"PASSWORD|SECRET", key):
            assert value.startswith("change-me"), f"deploy/env.example: {key} must be a change-me placeholder"
    read = set().union(*env_names_by_service.values())
    unread = sorted(k for k in env_example if k.startswith("OMS_") and k not in read)
    assert not unread, f"deploy/env.example: {unread} are read by no Settings class"


# --- ports, health, upstreams -----------------------------------------------------------


def healthcheck_url(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    command = " ".join(test) if isinstance(test, list) else test
    match = re.search(r"https?://[^'\"\s]+", command)
    return match.group(0) if match else ""


def port_problems(compose: Compose, d: SimpleNamespace) -> list[str]:
    problems = []
    for name, port in d.PORTS.items():
        service = compose["services"].get(name, {})
        args = (service.get("build") or {}).get("args") or {}
        if str(args.get("PORT")) != str(port):
            problems.append(f"{name}: build arg PORT={args.get('PORT')}, documented {port}")
        if [str(p) for p in service.get("expose", [])] != [str(port)]:
            problems.append(f"{name}: expose {service.get('expose')}, documented {port}")
        url = urlsplit(healthcheck_url(service))
        if (url.port, url.path) != (port, "/readyz"):
            problems.append(f"{name}: healthcheck probes {url.geturl()!r}, not :{port}/readyz")
        if service.get("ports"):
            problems.append(f"{name}: publishes ports to the host; only nginx is the way in")
    return problems


def upstream_problems(compose: Compose, gateway_env_names: dict[str, str], d: SimpleNamespace) -> list[str]:
    env = d.environment_of(compose["services"]["gateway"])
    expected = {
        f"OMS_GATEWAY_UPSTREAM_{name.upper()}": f"http://{name}:{port}"
        for name, port in d.PORTS.items()
        if name != "gateway"
    }
    problems = [
        f"gateway: {variable}={env.get(variable)!r}, expected {url!r}"
        for variable, url in sorted(expected.items())
        if env.get(variable) != url
    ]
    # The base URL settings (OMS_GATEWAY_UPSTREAM_<SERVICE>), not the timeouts and limits.
    readable = {v for v in gateway_env_names if re.fullmatch(r"OMS_GATEWAY_UPSTREAM_[A-Z]+", v)}
    problems += [f"gateway Settings has no {v}" for v in sorted(set(expected) - readable)]
    problems += [f"gateway reads {v}, compose does not set it" for v in sorted(readable - set(expected))]
    return problems


def test_ports_are_the_documented_ones(compose, deploy) -> None:
    assert port_problems(compose, deploy) == []


def test_gateway_upstreams_point_at_the_service_containers(compose, env_names_by_service, deploy) -> None:
    assert upstream_problems(compose, env_names_by_service["gateway"], deploy) == []


def test_port_and_upstream_checks_catch_mistakes(compose, env_names_by_service, deploy) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["pharmacy"]["expose"] = ["8000"]
    broken["services"]["registry"]["healthcheck"]["test"][-1] = "urlopen('http://127.0.0.1:8001/healthz')"
    broken["services"]["finance"]["ports"] = ["8002:8002"]
    assert len(port_problems(broken, deploy)) == 3
    broken["services"]["gateway"]["environment"]["OMS_GATEWAY_UPSTREAM_PHARMACY"] = "http://pharmacy:8000"
    assert len(upstream_problems(broken, env_names_by_service["gateway"], deploy)) == 1


def test_health_endpoints_exist_in_every_app(packages, deploy) -> None:
    import importlib

    for name in sorted(packages):
        paths = deploy.route_paths(importlib.import_module(f"{name}.main").create_app())
        assert {"/healthz", "/readyz", "/metrics"} <= paths, name


def test_documented_ports_are_in_operations_md(deploy) -> None:
    text = (deploy.REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\|\s*`?([a-z]+)`?\s*\|\s*(\d{4})\s*\|", text, flags=re.MULTILINE))
    assert {k: int(v) for k, v in documented.items() if k in deploy.PORTS} == deploy.PORTS


# --- Dockerfiles and mounted files ------------------------------------------------------


def file_reference_problems(compose: Compose, repo: Path) -> list[str]:
    problems = []
    for name, service in sorted(compose["services"].items()):
        build = service.get("build")
        if isinstance(build, str):
            build = {"context": build}
        if build:
            context = repo / build.get("context", ".")
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problems.append(f"{name}: {dockerfile.relative_to(repo)} does not exist")
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")) and not (repo / source).exists():
                problems.append(f"{name}: mounts {source}, which does not exist")
    return problems


def test_every_referenced_dockerfile_and_mounted_file_exists(compose, deploy) -> None:
    assert file_reference_problems(compose, deploy.REPO) == []


def test_file_reference_check_catches_missing_files(compose, deploy) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["gateway"]["build"] = {"context": ".", "dockerfile": "deploy/Dockerfile.gateway"}
    broken["services"]["postgres"]["volumes"].append(
        "./deploy/postgres/missing.sql:/docker-entrypoint-initdb.d/x.sql"
    )
    assert len(file_reference_problems(broken, deploy.REPO)) == 2


def test_service_images_build_the_service_they_are_named_after(compose, packages, deploy) -> None:
    for name in sorted(packages):
        for compose_name in (name, name + deploy.MIGRATE_SUFFIX):
            service = compose["services"][compose_name]
            assert service["build"]["dockerfile"] == "deploy/Dockerfile.service", compose_name
            assert service["build"]["args"]["SERVICE"] == name, compose_name
        command = compose["services"][name + deploy.MIGRATE_SUFFIX]["command"]
        assert command == ["python", "-m", "oms_kit.migrate", f"/app/services/{name}"]


def dockerfile_problems(dockerfile: str, members: list[str], uv_version: str) -> list[str]:
    problems = []
    for member in members:
        if f"COPY services/{member}/pyproject.toml " not in dockerfile:
            problems.append(
                f"Dockerfile.service does not copy services/{member}/pyproject.toml (uv needs it)"
            )
    if f"ARG UV_VERSION={uv_version}\n" not in dockerfile:
        problems.append(f"Dockerfile.service: UV_VERSION differs from the Makefile's {uv_version}")
    if not re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", dockerfile, flags=re.MULTILINE):
        problems.append("Dockerfile.service: base image is not python:3.11-slim")
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    if not users or users[-1].split(":")[0] in ("0", "root"):
        problems.append("Dockerfile.service: the runtime stage runs as root")
    if "uv sync --frozen" not in dockerfile or "--package" not in dockerfile:
        problems.append("Dockerfile.service: dependencies are not installed with uv sync --frozen --package")
    if not re.search(r"uvicorn --factory .*\.main:create_app", dockerfile):
        problems.append("Dockerfile.service: the command is not uvicorn --factory <service>.main:create_app")
    return problems


def test_service_dockerfile(deploy) -> None:
    dockerfile = (deploy.REPO / "deploy" / "Dockerfile.service").read_text(encoding="utf-8")
    members = sorted(p.parent.name for p in (deploy.REPO / "services").glob("*/pyproject.toml"))
    makefile = (deploy.REPO / "Makefile").read_text(encoding="utf-8")
    uv_version = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", makefile, flags=re.MULTILINE)
    assert uv_version, "Makefile: no UV_VERSION"
    assert dockerfile_problems(dockerfile, members, uv_version.group(1)) == []
    broken = dockerfile.replace("USER 10001:10001", "USER root").replace("python:3.11-slim", "python:3.12")
    assert len(dockerfile_problems(broken, [*members, "billing"], "0.0.1")) == 4


def test_frontend_dockerfile_and_nginx(compose, deploy) -> None:
    repo, nginx = deploy.REPO, deploy.REPO / "deploy" / "nginx"
    dockerfile = (repo / "deploy" / "Dockerfile.frontend").read_text(encoding="utf-8")
    assert re.search(r"^FROM node:20\S* AS build$", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^FROM \S*nginx\S* AS runtime$", dockerfile, flags=re.MULTILINE)
    copied = {Path(source).name for source in re.findall(r"\bdeploy/nginx/(\S+)", dockerfile)}
    for source in re.findall(r"\b(deploy/\S+)", dockerfile):
        assert (repo / source).is_file(), f"Dockerfile.frontend copies {source}, which does not exist"
    conf = (nginx / "default.conf").read_text(encoding="utf-8")
    included = set(re.findall(r"include /etc/nginx/snippets/(\S+);", conf))
    assert included <= copied, f"default.conf includes snippets the image lacks: {included - copied}"
    proxy = (nginx / "proxy-to-gateway.conf").read_text(encoding="utf-8")
    assert re.search(rf"server gateway:{deploy.PORTS['gateway']};", conf), (
        "nginx: upstream is not gateway:8000"
    )
    assert "proxy_pass http://gateway;" in proxy
    assert re.search(r"location /api/ \{\s*include /etc/nginx/snippets/proxy-to-gateway.conf;", conf)
    assert "try_files $uri $uri/ /index.html;" in conf, (
        "nginx: client-side routes do not fall back to the SPA"
    )
    assert "gzip on;" in conf
    listen = re.search(r"listen (\d+);", conf)
    assert listen, "nginx: no listen"
    published = [str(p).rsplit(":", 1)[-1] for p in compose["services"]["nginx"]["ports"]]
    assert published == [listen.group(1)], "compose publishes a port nginx does not listen on"
    headers = (nginx / "security-headers.conf").read_text(encoding="utf-8")
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert f"add_header {header} " in headers, header
    assert "add_header Content-Security-Policy " in (nginx / "csp.conf").read_text(encoding="utf-8")
    # nginx drops inherited add_header directives in a location that has its own: such a
    # location must bring the security headers and a CSP back itself.
    for block in re.findall(r"location [^{]+\{[^}]*\}", conf):
        if "add_header" in block:
            name = block.splitlines()[0]
            assert "security-headers.conf" in block, f"security headers lost in: {name}"
            assert "csp.conf" in block or "Content-Security-Policy" in block, f"CSP lost in: {name}"


# --- RabbitMQ and PostgreSQL ------------------------------------------------------------


def broker_problems(definitions: dict[str, Any], compose: Compose, deploy: SimpleNamespace) -> list[str]:
    """deploy/rabbitmq/definitions.json predeclares what oms_kit.events.rabbit declares, with
    the same types and arguments (a mismatch makes the broker refuse the service's
    declaration)."""
    from oms_kit.events.topology import (
        ArchivePolicy,
        archive_name,
        dead_letter_queue_arguments,
        dlq_name,
        dlx_name,
        exchange_arguments,
        unrouted_name,
    )

    env = deploy.environment_of(compose["services"]["registry"])
    exchange = env["OMS_EVENTS_EXCHANGE"]
    broker = urlsplit(
        deploy.interpolate(env["OMS_BROKER_URL"], {"RABBITMQ_USER": "u", "RABBITMQ_PASSWORD": "p"})
    )
    vhost = broker.path.lstrip("/") or "/"
    problems = []
    if [v["name"] for v in definitions.get("vhosts", [])] != [vhost]:
        problems.append(f"vhosts {definitions.get('vhosts')} != the broker URL's {vhost!r}")
    for entry in (
        *definitions.get("exchanges", []),
        *definitions.get("queues", []),
        *definitions.get("bindings", []),
    ):
        if entry.get("vhost") != vhost:
            problems.append(f"{entry.get('name') or entry.get('destination')}: vhost {entry.get('vhost')!r}")

    exchanges = {
        e["name"]: (e["type"], e["durable"], e.get("arguments", {})) for e in definitions.get("exchanges", [])
    }
    expected_exchanges = {
        exchange: ("topic", True, exchange_arguments(exchange, archive=True)),
        unrouted_name(exchange): ("fanout", True, {}),
        dlx_name(exchange): ("direct", True, {}),
    }
    for name, wanted in expected_exchanges.items():
        if exchanges.get(name) != wanted:
            problems.append(f"exchange {name}: {exchanges.get(name)} != the code's {wanted}")
    problems += [
        f"exchange {n} is not one the code declares" for n in sorted(set(exchanges) - set(expected_exchanges))
    ]

    queues = {q["name"]: q for q in definitions.get("queues", [])}
    consumers = sorted(deploy.consumer_queues())
    expected_queues = {archive_name(exchange): ArchivePolicy().arguments()}
    expected_queues.update({dlq_name(q): dead_letter_queue_arguments() for q in consumers})
    for name, arguments in expected_queues.items():
        if name not in queues:
            problems.append(f"queue {name} is not declared")
        elif queues[name].get("arguments") != arguments or not queues[name].get("durable"):
            problems.append(f"queue {name}: {queues[name].get('arguments')} != the code's {arguments}")
    for name in sorted(set(queues) - set(expected_queues)):
        problems.append(f"queue {name} is declared, but the code does not declare it the same way")

    bindings = {(b["source"], b["destination"]): b["routing_key"] for b in definitions.get("bindings", [])}
    wanted_bindings = {(unrouted_name(exchange), archive_name(exchange)): None}  # fanout: any key
    wanted_bindings.update({(dlx_name(exchange), dlq_name(q)): q for q in consumers})
    for (source, destination), key in sorted(wanted_bindings.items()):
        if (source, destination) not in bindings or key not in (None, bindings[(source, destination)]):
            problems.append(f"binding {source} -> {destination} ({key or 'any key'}) is missing")
    problems += [
        f"binding {b} is not one the code makes" for b in sorted(set(bindings) - set(wanted_bindings))
    ]
    return problems


def test_rabbitmq_definitions_match_the_code(compose, deploy) -> None:
    import json

    definitions = json.loads((deploy.REPO / "deploy" / "rabbitmq" / "definitions.json").read_text())
    assert broker_problems(definitions, compose, deploy) == []
    broken = copy.deepcopy(definitions)
    broken["exchanges"][0]["arguments"] = {}
    broken["queues"][0]["arguments"]["x-max-length"] = 10
    broken["bindings"].pop()
    broken["bindings"].append({**broken["bindings"][0], "source": "oms.events", "routing_key": "#"})
    assert len(broker_problems(broken, compose, deploy)) == 4


def test_rabbitmq_users_come_from_the_environment(compose, deploy) -> None:
    definitions = (deploy.REPO / "deploy" / "rabbitmq" / "definitions.json").read_text()
    script = (deploy.REPO / "deploy" / "rabbitmq" / "render-definitions.sh").read_text()
    placeholders = set(re.findall(r"@([A-Z_]+)@", definitions))
    rendered = set(re.findall(r"s/@([A-Z_]+)@/", script))
    assert placeholders and placeholders == rendered, "render-definitions.sh must fill every placeholder"
    env = deploy.environment_of(compose["services"]["rabbitmq"])
    assert placeholders <= set(env), "the rabbitmq container does not get every user variable"
    assert "/etc/oms/rabbitmq/render-definitions.sh" in shlex.join(
        compose["services"]["rabbitmq"]["entrypoint"]
    )


def test_postgres_has_a_database_and_role_per_service(compose, packages, deploy) -> None:
    script = (deploy.REPO / "deploy" / "postgres" / "init-databases.sh").read_text()
    listed = re.search(r"^for service in ([a-z ]+); do$", script, flags=re.MULTILINE)
    assert listed, "init-databases.sh: no service list"
    assert sorted(listed.group(1).split()) == sorted(packages)
    env = deploy.environment_of(compose["services"]["postgres"])
    for name in packages:
        assert f"{name.upper()}_DB_PASSWORD" in env, f"postgres does not get {name.upper()}_DB_PASSWORD"
