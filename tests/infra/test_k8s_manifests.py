"""The plain manifests in infra/k8s: valid Kubernetes, gateway.yaml rendered from the chart, nats.yaml
carrying infra/nats-server.conf unchanged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from chartrender import K8S, ROOT, plain_manifest, validate

MANIFESTS = sorted(K8S.glob("*.yaml"))


def objects(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_every_object_is_valid_kubernetes(path: Path) -> None:
    found = objects(path)
    assert found
    for obj in found:
        validate(obj)


def test_the_validator_is_strict() -> None:
    """An unknown field and a string where Kubernetes wants an integer both fail (not a vacuous check)."""
    deployment = next(o for o in objects(K8S / "gateway.yaml") if o["kind"] == "Deployment")
    unknown = copy.deepcopy(deployment)
    unknown["spec"]["template"]["spec"]["containers"][0]["livenessProbes"] = {}
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = "30"
    for bad in (unknown, wrong_type):
        with pytest.raises(kubernetes_validate.ValidationError):
            validate(bad)


def test_gateway_manifest_is_the_chart_rendered() -> None:
    assert (K8S / "gateway.yaml").read_text() == plain_manifest(), (
        "infra/k8s/gateway.yaml is stale: run .venv/bin/python tests/infra/chartrender.py"
    )


def test_nats_manifest_carries_the_shipped_config_and_names_every_route() -> None:
    config_map, service, stateful_set = objects(K8S / "nats.yaml")
    assert config_map["data"]["nats-server.conf"] == (ROOT / "infra" / "nats-server.conf").read_text()
    (node,) = stateful_set["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("value", e.get("valueFrom")) for e in node["env"]}
    assert env["NATS_SERVER_NAME"] == {"fieldRef": {"fieldPath": "metadata.name"}}
    replicas, name, headless = (
        stateful_set["spec"]["replicas"],
        stateful_set["metadata"]["name"],
        service["metadata"]["name"],
    )
    assert (
        env["NATS_ROUTES"]
        == "[" + ", ".join(f"nats://{name}-{i}.{headless}:6222" for i in range(replicas)) + "]"
    )
    assert env["NATS_STORE_DIR"] == "/data"
    assert {m["mountPath"] for m in node["volumeMounts"]} == {"/etc/nats", "/data"}
