"""deploy/k8s: the manifests parse, and agree with the code and with docker-compose.yml on
names, ports, probes and environment variables."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

Manifest = dict[str, Any]


def load_manifests(directory: Path) -> dict[str, list[Manifest]]:
    manifests = {}
    for path in sorted(directory.glob("*.yaml")):
        docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
        manifests[path.name] = docs
    return manifests


@pytest.fixture(scope="module")
def manifests(deploy) -> dict[str, list[Manifest]]:
    return load_manifests(deploy.REPO / "deploy" / "k8s")


def by_kind(manifests: dict[str, list[Manifest]], kind: str) -> dict[str, Manifest]:
    return {
        doc["metadata"]["name"]: doc for docs in manifests.values() for doc in docs if doc["kind"] == kind
    }


def container_env_names(deployment: Manifest, configmap: Manifest) -> set[str]:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    names = {entry["name"] for entry in container.get("env", [])}
    for source in container.get("envFrom", []):
        if source.get("configMapRef", {}).get("name") == configmap["metadata"]["name"]:
            names |= set(configmap["data"])
    return names


def deployment_problems(
    manifests: dict[str, list[Manifest]], env_names_by_service: dict[str, dict[str, str]], d: SimpleNamespace
) -> list[str]:
    problems = []
    deployments, services = by_kind(manifests, "Deployment"), by_kind(manifests, "Service")
    hpas, jobs = by_kind(manifests, "HorizontalPodAutoscaler"), by_kind(manifests, "Job")
    configmap = by_kind(manifests, "ConfigMap")["oms-config"]
    secret_keys = set(by_kind(manifests, "Secret")["oms-secrets"]["stringData"])
    for name, port in d.PORTS.items():
        deployment, service = deployments.get(name), services.get(name)
        if deployment is None or service is None:
            problems.append(f"{name}: no Deployment or no Service")
            continue
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        if ports.get("http") != port:
            problems.append(f"{name}: container port {ports}, documented {port}")
        if [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] != [(port, "http")]:
            problems.append(f"{name}: Service ports {service['spec']['ports']}, documented {port}")
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            get = container.get(probe, {}).get("httpGet", {})
            if (get.get("path"), get.get("port")) != (path, "http"):
                problems.append(f"{name}: {probe} is not GET {path} on the http port")
        unread = sorted(
            v
            for v in container_env_names(deployment, configmap)
            if v.startswith("OMS_") and v not in env_names_by_service[name]
        )
        problems += [f"{name}: {v} is read by no field of {name}.config.Settings" for v in unread]
        for entry in container.get("env", []):
            key = entry.get("valueFrom", {}).get("secretKeyRef", {}).get("key")
            if key is not None and key not in secret_keys:
                problems.append(f"{name}: secret key {key} is not in secrets.example.yaml")
        if hpas.get(name, {}).get("spec", {}).get("scaleTargetRef", {}).get("name") != name:
            problems.append(f"{name}: no HorizontalPodAutoscaler")
        job = jobs.get(f"{name}-migrate")
        if job is None or job["spec"]["template"]["spec"]["containers"][0]["command"] != [
            "python",
            "-m",
            "oms_kit.migrate",
            f"/app/services/{name}",
        ]:
            problems.append(f"{name}: no migration Job running oms_kit.migrate")
    return problems


def test_every_manifest_parses_and_names_itself(manifests) -> None:
    assert manifests, "deploy/k8s has no manifests"
    for file, docs in manifests.items():
        assert docs, f"{file} is empty"
        for doc in docs:
            assert {"apiVersion", "kind"} <= set(doc), file
            if doc["kind"] != "Kustomization":
                assert doc.get("metadata", {}).get("name"), file


def test_deployments_agree_with_the_code(manifests, env_names_by_service, deploy) -> None:
    assert deployment_problems(manifests, env_names_by_service, deploy) == []


def test_deployment_check_catches_mistakes(manifests, env_names_by_service, deploy) -> None:
    broken = copy.deepcopy(manifests)
    registry = by_kind(broken, "Deployment")["registry"]["spec"]["template"]["spec"]["containers"][0]
    registry["ports"][0]["containerPort"] = 8000
    registry["readinessProbe"]["httpGet"]["path"] = "/healthz"
    registry["env"].append({"name": "OMS_REGISTRY_DB", "value": "x"})
    assert len(deployment_problems(broken, env_names_by_service, deploy)) == 3


def test_gateway_upstreams_in_kubernetes_match_compose(manifests, compose, deploy) -> None:
    (container,) = by_kind(manifests, "Deployment")["gateway"]["spec"]["template"]["spec"]["containers"]
    k8s = {e["name"]: e["value"] for e in container["env"] if e["name"].startswith("OMS_GATEWAY_UPSTREAM_")}
    compose_env = deploy.environment_of(compose["services"]["gateway"])
    assert k8s == {k: v for k, v in compose_env.items() if k.startswith("OMS_GATEWAY_UPSTREAM_")}


def test_configmap_matches_the_compose_settings(manifests, compose, deploy) -> None:
    configmap = by_kind(manifests, "ConfigMap")["oms-config"]["data"]
    compose_env = deploy.environment_of(compose["services"]["registry"])
    for key, value in configmap.items():
        if key != "OMS_LOG_LEVEL":
            assert compose_env.get(key) == value, key


def test_kustomization_lists_existing_manifests(manifests, deploy) -> None:
    kustomization = manifests["kustomization.yaml"][0]
    resources = kustomization["resources"]
    for resource in resources:
        assert resource in manifests, f"kustomization.yaml lists {resource}, which does not exist"
    left_out = set(manifests) - set(resources) - {"kustomization.yaml"}
    # Applied on their own: the Secret is created out of band, the Jobs before a rollout.
    assert left_out == {"secrets.example.yaml", "migrate-jobs.yaml"}
