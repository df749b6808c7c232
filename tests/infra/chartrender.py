"""Render the Helm chart with Helm itself (its Go SDK, from the helm-python-sdk wheel) and check objects
against Kubernetes' own schemas (kubernetes-validate, strict: unknown fields are errors).

``python tests/infra/chartrender.py`` rewrites infra/k8s/gateway.yaml, the plain manifest rendered from the chart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "infra" / "helm" / "relay"
K8S = ROOT / "infra" / "k8s"
# The oldest Kubernetes the chart supports (Chart.yaml kubeVersion: preStop sleep) and the newest known.
KUBE_VERSIONS = ("1.30.0", "1.37.0")

# infra/k8s/gateway.yaml: the chart without Helm, next to infra/k8s/nats.yaml's StatefulSet.
PLAIN_VALUES: dict[str, Any] = {
    "nats": {
        "mode": "external",
        "url": "nats://nats-0.nats:4222,nats://nats-1.nats:4222,nats://nats-2.nats:4222",
    },
}
PLAIN_HEADER = """\
# Generated from infra/helm/relay (python tests/infra/chartrender.py); edit the chart, not this file.
# The gateway Deployment, Service, Ingress, PodDisruptionBudget and HorizontalPodAutoscaler,
# using the NATS cluster of nats.yaml. Before applying, create the HS256 secret:
#   kubectl create secret generic relay --from-literal=secret="$(openssl rand -hex 32)"
# and replace relay.example.org and the image (localhost/relay:dev, built by ./dev.sh image).
"""


def render_files(values: dict[str, Any], *, namespace: str = "default") -> dict[str, str]:
    """Template name → rendered text, as ``helm template relay infra/helm/relay`` would produce."""
    with helm.Chart.load(str(CHART)) as chart:
        rendered: dict[str, str] = chart.render(values, name="relay", namespace=namespace)
    return rendered


def render(values: dict[str, Any], *, namespace: str = "default") -> list[dict[str, Any]]:
    """Every object the chart renders (NOTES.txt and disabled templates left out)."""
    objects: list[dict[str, Any]] = []
    for name, text in sorted(render_files(values, namespace=namespace).items()):
        if name.endswith(".yaml"):
            objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects


def validate(obj: dict[str, Any]) -> None:
    """Raise unless ``obj`` is valid for every version in KUBE_VERSIONS (strict schemas)."""
    for version in KUBE_VERSIONS:
        kubernetes_validate.validate(obj, version, strict=True)


def plain_manifest() -> str:
    """The text infra/k8s/gateway.yaml must hold."""
    parts = [PLAIN_HEADER]
    for name, text in sorted(render_files(PLAIN_VALUES).items()):
        if name.endswith(".yaml") and text.strip():
            parts.append(f"---\n# Source: {name}\n{text.strip()}\n")
    return "".join(parts)


if __name__ == "__main__":
    (K8S / "gateway.yaml").write_text(plain_manifest())
    print(f"wrote {K8S / 'gateway.yaml'}")
