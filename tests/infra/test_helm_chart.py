"""The Helm chart, rendered by Helm's own engine, yields valid objects that say what docs/deploy.md says."""

from __future__ import annotations

import ipaddress
import re
import shlex
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
from chartrender import CHART, render, validate

from gateway.settings import GatewaySettings, from_env

EXTERNAL = {"nats": {"mode": "external", "url": "nats://user:pw@nats-a:4222,nats://nats-b:4222"}}
COMBINATIONS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "external NATS": EXTERNAL,
    "ServiceMonitor on": {"serviceMonitor": {"enabled": True, "labels": {"release": "prom"}}},
    "NetworkPolicy on": {"networkPolicy": {"enabled": True}},
    "no ops port, fixed replicas, no TLS": {
        "ops": {"enabled": False},
        "autoscaling": {"enabled": False},
        "ingress": {"tls": {"enabled": False}},
    },
}
# Custom resources: kubernetes-validate knows only Kubernetes' own kinds (checked by hand below).
CUSTOM_KINDS = {"ServiceMonitor"}


def by_kind(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds = {obj["kind"]: obj for obj in objects}
    assert len(kinds) == len(objects), "one object of each kind"
    return kinds


def container(objects: list[dict[str, Any]]) -> dict[str, Any]:
    (gateway,) = by_kind(objects)["Deployment"]["spec"]["template"]["spec"]["containers"]
    return gateway  # type: ignore[no-any-return]


def env(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(objects)["env"]}


@pytest.mark.parametrize("values", COMBINATIONS.values(), ids=COMBINATIONS.keys())
def test_every_rendered_object_is_valid_kubernetes(values: dict[str, Any]) -> None:
    objects = render(values)
    assert {"Deployment", "Service", "Ingress", "PodDisruptionBudget"} <= set(by_kind(objects))
    for obj in objects:
        if obj["kind"] in CUSTOM_KINDS:
            with pytest.raises(kubernetes_validate.SchemaNotFoundError):
                validate(obj)
        else:
            validate(obj)


def test_defaults_use_the_official_nats_charts_service_and_the_ops_port() -> None:
    objects = render({}, namespace="lab")
    kinds = by_kind(objects)
    assert set(kinds) == {
        "Deployment",
        "Service",
        "Ingress",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    }
    variables = env(objects)
    assert variables["RELAY_NATS_URL"] == "nats://nats.lab.svc:4222"
    assert variables["RELAY_PORT_OPS"] == "9090"
    assert variables["RELAY_SECRET"] == {"secretKeyRef": {"name": "relay", "key": "secret"}}
    assert variables["RELAY_AUDIENCE"] == "https://relay.example.org/access"
    assert variables["RELAY_URL"] == "wss://relay.example.org/relay"
    gateway = container(objects)
    for probe, path in (
        ("startupProbe", "/readyz"),
        ("readinessProbe", "/readyz"),
        ("livenessProbe", "/healthz"),
    ):
        assert gateway[probe]["httpGet"] == {"path": path, "port": "ops"}
    assert {p["name"]: p["containerPort"] for p in gateway["ports"]} == {"http": 3000, "ops": 9090}


def test_the_ingress_routes_access_and_relay_to_the_main_port_only() -> None:
    ingress = by_kind(render({}))["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "relay.example.org"
    paths = {p["path"]: p["backend"]["service"]["port"] for p in rule["http"]["paths"]}
    assert paths == {"/access(/|$)(.*)": {"name": "http"}, "/relay(/|$)(.*)": {"name": "http"}}
    assert ingress["spec"]["tls"] == [{"hosts": ["relay.example.org"], "secretName": "relay-tls"}]


def test_termination_grace_covers_prestop_the_1012_grace_and_the_nats_drain() -> None:
    values = {"relay": {"shutdownGraceSeconds": 20}, "lifecycle": {"preStopSeconds": 7, "drainSeconds": 13}}
    objects = render(values)
    pod = by_kind(objects)["Deployment"]["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] == 7 + 20 + 13
    assert container(objects)["lifecycle"]["preStop"] == {"sleep": {"seconds": 7}}
    assert env(objects)["RELAY_SHUTDOWN_GRACE"] == "20s"


def test_external_nats_url_is_passed_as_given_and_required() -> None:
    assert env(render(EXTERNAL))["RELAY_NATS_URL"] == EXTERNAL["nats"]["url"]
    with pytest.raises(helm.HelmError, match="nats.url: the external NATS servers"):
        render({"nats": {"mode": "external"}})
    with pytest.raises(helm.HelmError, match="nats.mode must be chart or external"):
        render({"nats": {"mode": "embedded"}})


def test_image_and_secret_come_from_values() -> None:
    values = {
        "image": {"repository": "registry.example.org/relay", "tag": "0.1.0", "pullPolicy": "Always"},
        "secret": {"name": "lab-relay", "key": "hs256"},
    }
    objects = render(values)
    gateway = container(objects)
    assert (gateway["image"], gateway["imagePullPolicy"]) == ("registry.example.org/relay:0.1.0", "Always")
    assert env(objects)["RELAY_SECRET"] == {"secretKeyRef": {"name": "lab-relay", "key": "hs256"}}


def test_the_pod_runs_non_root_on_a_read_only_root() -> None:
    objects = render({})
    pod = by_kind(objects)["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    context = container(objects)["securityContext"]
    assert context["readOnlyRootFilesystem"] is True and context["allowPrivilegeEscalation"] is False
    assert container(objects)["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]


def test_service_monitor_scrapes_metrics_on_the_ops_port_of_the_service() -> None:
    kinds = by_kind(render(COMBINATIONS["ServiceMonitor on"]))
    monitor, service = kinds["ServiceMonitor"], kinds["Service"]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert monitor["spec"]["endpoints"] == [{"port": "ops", "path": "/metrics", "interval": "30s"}]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert {p["name"]: p["targetPort"] for p in service["spec"]["ports"]} == {"http": "http", "ops": "ops"}


def test_without_the_ops_port_probes_and_metrics_use_the_main_port() -> None:
    values = {**COMBINATIONS["no ops port, fixed replicas, no TLS"], "serviceMonitor": {"enabled": True}}
    objects = render(values)
    kinds = by_kind(objects)
    assert "RELAY_PORT_OPS" not in env(objects) and "HorizontalPodAutoscaler" not in kinds
    assert kinds["Deployment"]["spec"]["replicas"] == 3
    assert container(objects)["readinessProbe"]["httpGet"]["port"] == "http"
    assert kinds["ServiceMonitor"]["spec"]["endpoints"][0]["port"] == "http"
    assert "tls" not in kinds["Ingress"]["spec"]


def test_network_policy_opens_the_main_port_to_the_ingress_and_ops_to_monitoring() -> None:
    policy = by_kind(render(COMBINATIONS["NetworkPolicy on"]))["NetworkPolicy"]
    rules = [
        (r["ports"][0]["port"], r["from"][0]["namespaceSelector"]["matchLabels"])
        for r in policy["spec"]["ingress"]
    ]
    assert rules == [
        ("http", {"kubernetes.io/metadata.name": "ingress-nginx"}),
        ("ops", {"kubernetes.io/metadata.name": "monitoring"}),
    ]


DEFAULT_TRUSTED = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"


def test_rate_limits_and_trusted_proxies_are_rendered_from_the_values() -> None:
    defaults = env(render({}))
    assert [defaults[f"RELAY_RATE_{n}"] for n in ("ACCESS", "ACCESS_BURST", "ADMIN", "ADMIN_BURST")] == [
        "20",
        "100",
        "2",
        "20",
    ]
    assert defaults["RELAY_TRUSTED_PROXIES"] == DEFAULT_TRUSTED
    values = {
        "rateLimit": {
            "access": 0.5,
            "accessBurst": 1_000_000,  # Helm holds numbers as floats: rendered 1e+06 unless made an int
            "admin": 0,
            "adminBurst": 7,
            "trustedProxies": ["10.42.0.0/16", "fd00:42::/56"],
        }
    }
    variables = env(render(values))
    settings = from_env({k: v for k, v in variables.items() if isinstance(v, str)} | {"RELAY_SECRET": "s"})
    assert (settings.rate_access, settings.rate_access_burst) == (0.5, 1_000_000)
    assert (settings.rate_admin, settings.rate_admin_burst) == (0.0, 7)
    assert settings.trusted_proxies == ("10.42.0.0/16", "fd00:42::/56")
    assert "RELAY_TRUSTED_PROXIES" not in env(render({"rateLimit": {"trustedProxies": []}}))


def test_the_default_trusted_proxies_are_private_ranges_only() -> None:
    # Safe with the NetworkPolicy (only ingress-nginx reaches the http port, checked above): no
    # public client address is ever a trusted hop, so no one on the internet picks their bucket.
    networks = [ipaddress.ip_network(n) for n in DEFAULT_TRUSTED.split(",")]
    assert all(n.is_private for n in networks)
    for public in ("8.8.8.8", "100.64.0.1", "2001:db8::1", "2a00:1450::1"):
        assert not any(ipaddress.ip_address(public) in n for n in networks), public
    for pod in ("10.244.1.7", "172.20.0.3", "192.168.5.9", "fd00:10:244::7"):
        assert any(ipaddress.ip_address(pod) in n for n in networks), pod


def test_every_variable_the_chart_sets_is_a_gateway_setting_the_gateway_accepts() -> None:
    variables = env(render(EXTERNAL))
    fields = {f"RELAY_{name.upper()}" for name in GatewaySettings.__dataclass_fields__}
    assert set(variables) <= fields
    literal = {k: v for k, v in variables.items() if isinstance(v, str)}
    settings = from_env({**literal, "RELAY_SECRET": "from-the-secret"})  # raises ConfigError naming a bad one
    assert settings.single_port and settings.host == "0.0.0.0" and settings.shutdown_grace == 10.0
    assert settings.nats_url == EXTERNAL["nats"]["url"] and settings.kv_replicas == 3
    assert settings.trusted_proxies == tuple(DEFAULT_TRUSTED.split(",")) and settings.rate_access == 20.0


def test_helm_lint_finds_nothing_above_info() -> None:
    report = helm.lint(str(CHART))
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] > 1] == []  # 1 info, 2 warning, 4 error


def deploy_guide_sets() -> list[str]:
    """The ``--set`` arguments docs/deploy.md gives this chart (not the NATS chart's), shell-unquoted."""
    text = (CHART.parents[2] / "docs" / "deploy.md").read_text().replace("\\\n", " ")
    sets: list[str] = []
    for line in text.splitlines():
        for snippet in re.findall(r"`([^`]*--set [^`]*)`", line) or [line]:
            if "infra/helm/relay" in snippet or "nats.mode=" in snippet:
                words = shlex.split(snippet.split("#")[0])
                sets += [words[i + 1] for i, word in enumerate(words) if word == "--set"]
    return sets


def test_the_deploy_guides_values_exist_in_the_chart_and_render_valid_objects() -> None:
    sets = deploy_guide_sets()
    assert any(s.startswith("host=") for s in sets) and any(s.startswith("nats.url=") for s in sets)
    with helm.Chart.load(str(CHART)) as chart:
        defaults: dict[str, Any] = chart.values
    values: dict[str, Any] = {}
    for assignment in sets:
        parsed = helm.parse_set_string(assignment)  # raises on what `helm --set` would refuse
        key = assignment.split("=", 1)[0]
        node: Any = defaults
        for part in key.split("."):
            assert isinstance(node, dict) and part in node, (
                f"docs/deploy.md sets {key}, which values.yaml lacks"
            )
            node = node[part]
        merge(values, parsed)
    objects = render(values)
    for obj in objects:
        validate(obj)
    assert "," in env(objects)["RELAY_NATS_URL"]  # the escaped commas arrive as one list of servers


def merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
