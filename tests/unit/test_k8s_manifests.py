"""The Kubernetes manifests (deploy/k8s) against the code they run: what would otherwise break
only in a cluster, and some of it silently (a setting misspelt falls back to its default)."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from puente_platform.settings import PlatformSettings as Settings  # every service's settings
from puente_schemas.topics import SERVICES

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SECRET_TEMPLATE = K8S / "secret.example.yaml"
PLACEHOLDER = "REPLACE-ME"
SECRET_NAMES = re.compile(r"DATABASE_URL|PASSWORD|SECRET|TOKEN|KEY$")
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s]+:[^/@\s]+@")

Manifest = dict[str, Any]
PROBES = {"startupProbe": "/health", "livenessProbe": "/health", "readinessProbe": "/ready"}


@functools.cache
def documents(path: Path) -> tuple[Manifest, ...]:
    """Parsed once: the tests read, and never change, what they are given."""
    return tuple(document for document in yaml.safe_load_all(path.read_text()) if document)


def kustomization() -> Manifest:
    (only,) = documents(K8S / "kustomization.yaml")
    return only


def applied() -> list[Manifest]:
    """Everything `kubectl apply -k deploy/k8s` applies."""
    return [doc for name in kustomization()["resources"] for doc in documents(K8S / name)]


def of_kind(kind: str) -> dict[str, Manifest]:
    return {doc["metadata"]["name"]: doc for doc in applied() if doc["kind"] == kind}


def config() -> dict[str, str]:
    data: dict[str, str] = of_kind("ConfigMap")["puente-config"]["data"]
    return data


def secret_template() -> dict[str, str]:
    (secret,) = documents(SECRET_TEMPLATE)
    data: dict[str, str] = secret["stringData"]
    return data


def container(deployment: Manifest) -> Manifest:
    only: Manifest
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def environment(deployment: Manifest) -> dict[str, str]:
    """The variables the container starts with: the ConfigMaps it takes whole, then its own
    (which win), a Secret's key standing for the value the template gives it."""
    found: dict[str, str] = {}
    maps = of_kind("ConfigMap")
    for source in container(deployment).get("envFrom", []):
        found |= maps[source["configMapRef"]["name"]]["data"]
    for variable in container(deployment).get("env", []):
        if "value" in variable:
            found[variable["name"]] = variable["value"]
        else:
            found[variable["name"]] = secret_template()[secret_key(variable)["key"]]
    return found


def secret_key(variable: Manifest) -> Manifest:
    reference: Manifest = variable["valueFrom"]["secretKeyRef"]
    return reference


def settings_for(deployment: Manifest, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings the service would read in its pod, and nothing from this process."""
    for name in list(os.environ):
        if name.upper().startswith("PUENTE_"):
            monkeypatch.delenv(name)
    for name, value in environment(deployment).items():
        monkeypatch.setenv(name, value)
    return Settings()


def probe_target(deployment: Manifest, probe: Manifest) -> tuple[str, int, str]:
    """(host, port, path) a probe asks: an HTTP probe from the kubelet (the pod's address),
    or a command run inside the container (the URL in it)."""
    if "httpGet" in probe:
        port = probe["httpGet"]["port"]
        if isinstance(port, str):
            ports = {p["name"]: p["containerPort"] for p in container(deployment)["ports"]}
            port = ports[port]
        return "pod", int(port), probe["httpGet"]["path"]
    (url,) = re.findall(r"https?://[^'\"\s]+", shlex.join(probe["exec"]["command"]))
    parts = urlsplit(url)
    return str(parts.hostname), int(parts.port or 80), parts.path


DEPLOYMENTS = sorted(of_kind("Deployment"))


def test_every_service_of_the_platform_has_a_deployment_and_nothing_else_does() -> None:
    assert sorted(SERVICES) == DEPLOYMENTS


def test_every_manifest_in_the_folder_is_applied_but_the_secret_template() -> None:
    manifests = {path.name for path in K8S.glob("*.yaml")}
    expected = manifests - {"kustomization.yaml", SECRET_TEMPLATE.name}
    assert sorted(kustomization()["resources"]) == sorted(expected)


def test_everything_is_in_the_namespace_the_manifests_create() -> None:
    (namespace,) = of_kind("Namespace")
    assert kustomization()["namespace"] == namespace
    for doc in applied():
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace, doc["metadata"]["name"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_each_deployment_runs_its_service_from_the_image_compose_builds(name: str) -> None:
    """docker-compose builds deploy/docker/Dockerfile with SERVICE=<name>, and the image runs
    `python -m puente_${SERVICE}`; here one image serves all, SERVICE set per Deployment."""
    (compose,) = documents(ROOT / "docker-compose.yml")
    build = compose["services"][name]["build"]
    assert (build["context"], build["dockerfile"]) == (".", "deploy/docker/Dockerfile")
    assert build["args"]["SERVICE"] == name
    assert "python -m puente_${SERVICE}" in (ROOT / build["dockerfile"]).read_text()
    assert importlib.util.find_spec(f"puente_{name}.__main__") is not None
    (image,) = kustomization()["images"]
    assert container(of_kind("Deployment")[name])["image"] == image["name"]
    assert environment(of_kind("Deployment")[name])["SERVICE"] == name


def test_every_puente_variable_set_is_a_setting_the_runtime_reads() -> None:
    given = set(config()) | set(secret_template())
    for deployment in of_kind("Deployment").values():
        given |= {variable["name"] for variable in container(deployment).get("env", [])}
    settings = {f"PUENTE_{field.upper()}" for field in Settings.model_fields}
    assert {name for name in given if name.startswith("PUENTE_")} - settings == set()


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_each_service_starts_distributed_with_what_the_manifests_give_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setting left out falls back to its default, which is the embedded demo: its own
    bus, SQLite in an emptyDir, the simulator, no health server."""
    deployment = of_kind("Deployment")[name]
    required = {
        f"PUENTE_{f.upper()}" for f, info in Settings.model_fields.items() if info.is_required()
    }
    assert required - set(environment(deployment)) == set()
    settings = settings_for(deployment, monkeypatch)
    assert settings.bus == "kafka"
    assert settings.database_url is not None and "{service}" in settings.database_url
    assert settings.otel_exporter == "otlp"
    assert settings.clock_speed == 1.0
    assert settings.health_port is not None
    mounts = {mount["mountPath"] for mount in container(deployment)["volumeMounts"]}
    assert str(settings.var_dir) in mounts, "PUENTE_VAR_DIR must be writable"


def test_the_gateway_listens_beyond_its_pod_and_keeps_its_code_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Registration codes are hashed with the code key; without one the gateway keeps a key
    in var/ (an emptyDir here), and a restart would make every code given unusable."""
    gateway = of_kind("Deployment")["gateway"]
    settings = settings_for(gateway, monkeypatch)
    assert settings.gateway_host == "0.0.0.0"
    assert settings.code_key
    variables = {variable["name"]: variable for variable in container(gateway)["env"]}
    assert "PUENTE_CODE_KEY" in variables and "valueFrom" in variables["PUENTE_CODE_KEY"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_probes_ask_health_and_ready_where_the_service_answers(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The health server listens on 127.0.0.1:PUENTE_HEALTH_PORT, out of the kubelet's
    reach; the gateway also answers both paths on its own HTTP port."""
    deployment = of_kind("Deployment")[name]
    settings = settings_for(deployment, monkeypatch)
    answering = {("127.0.0.1", settings.health_port)}
    if name == "gateway":
        answering.add(("pod", settings.gateway_port))
    for probe, path in PROBES.items():
        host, port, asked = probe_target(deployment, container(deployment)[probe])
        assert (host, port) in answering and asked == path, (name, probe)


# How many pods of each service may share its database (deploy/k8s/README.md says why):
# registration, transport and processing lock call-backs, people, seats and beds, and timed
# runs take turns (tests/postgres); notifications parks messages that wait for their cause,
# and parking is not yet safe across replicas; scheduling keeps its plan in memory; gateway
# replicas would split its consumer group.
REPLICAS = {
    "registration": 2,
    "scheduling": 1,
    "transport": 2,
    "processing": 2,
    "notifications": 2,
    "gateway": 1,
    "simulator": 0,  # demos scale it to 1
}


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_only_services_safe_side_by_side_run_several_pods(name: str) -> None:
    """Raise a count only with the code that allows it, and change REPLICAS with it. A
    service of one replica is recreated on upgrade (a rolling update would run two pods at
    once); one of several rolls, never below its count, and a drain leaves one running."""
    spec = of_kind("Deployment")[name]["spec"]
    assert spec["replicas"] == REPLICAS[name]
    budgets = [
        budget["spec"]
        for budget in of_kind("PodDisruptionBudget").values()
        if budget["spec"]["selector"]["matchLabels"].items()
        <= spec["template"]["metadata"]["labels"].items()
    ]
    if REPLICAS[name] <= 1:
        assert spec["strategy"]["type"] == "Recreate"
        assert budgets == []
    else:
        assert spec["strategy"]["type"] == "RollingUpdate"
        assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        assert [budget["maxUnavailable"] for budget in budgets] == [1]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_each_service_runs_unprivileged_on_a_read_only_filesystem(name: str) -> None:
    pod = of_kind("Deployment")[name]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert (
        isinstance(pod["securityContext"]["runAsUser"], int)
        and pod["securityContext"]["runAsUser"] > 0
    )
    runner = container(of_kind("Deployment")[name])
    assert runner["securityContext"]["readOnlyRootFilesystem"] is True
    assert runner["securityContext"]["allowPrivilegeEscalation"] is False
    assert {"cpu", "memory"} <= set(runner["resources"]["requests"])
    assert {"cpu", "memory"} <= set(runner["resources"]["limits"])


def test_no_secret_value_is_in_the_manifests() -> None:
    assert "Secret" not in {doc["kind"] for doc in applied()}
    values = list(config().values())
    for deployment in of_kind("Deployment").values():
        for variable in container(deployment).get("env", []):
            if SECRET_NAMES.search(variable["name"]):
                assert secret_key(variable)["name"] == "puente-secrets", variable["name"]
                assert secret_key(variable)["key"] in secret_template(), variable["name"]
            values.append(str(variable.get("value", "")))
    assert [value for value in values if CREDENTIALS_IN_URL.search(value)] == []
    assert [name for name in config() if SECRET_NAMES.search(name)] == []


def test_the_secret_template_holds_only_placeholders() -> None:
    assert [name for name, value in secret_template().items() if PLACEHOLDER not in value] == []


def test_the_ingress_reaches_the_gateway_through_its_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gateway = of_kind("Deployment")["gateway"]
    pod_labels = gateway["spec"]["template"]["metadata"]["labels"]
    service = of_kind("Service")["gateway"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    ports = {p["name"]: p["containerPort"] for p in container(gateway)["ports"]}
    assert (
        ports[service["spec"]["ports"][0]["targetPort"]]
        == settings_for(gateway, monkeypatch).gateway_port
    )
    (rule,) = of_kind("Ingress")["gateway"]["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert path["path"] == "/graphql"
    assert backend["name"] == "gateway"
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


def allowed_ports(direction: str, labels: dict[str, str]) -> set[int]:
    """The TCP ports a NetworkPolicy opens in `direction` for pods with these labels."""
    ports: set[int] = set()
    for policy in of_kind("NetworkPolicy").values():
        selected = policy["spec"]["podSelector"].get("matchLabels", {})
        if selected.items() <= labels.items():
            for rule in policy["spec"].get(direction, []):
                ports |= {p["port"] for p in rule.get("ports", []) if p["protocol"] == "TCP"}
    return ports


def test_network_policy_denies_by_default_and_opens_what_the_services_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    default = of_kind("NetworkPolicy")["default-deny"]["spec"]
    assert default["podSelector"] == {} and sorted(default["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in default and "egress" not in default
    for name in DEPLOYMENTS:
        deployment = of_kind("Deployment")[name]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        settings = settings_for(deployment, monkeypatch)
        assert settings.database_url is not None
        brokers = settings.kafka_bootstrap.split(",")
        needed = {
            *(int(broker.rsplit(":", 1)[1]) for broker in brokers),
            urlsplit(settings.database_url.replace("{service}", name)).port or 5432,
            urlsplit(settings.otel_endpoint).port or 80,
        }
        assert needed - allowed_ports("egress", labels) == set(), name
        taken = allowed_ports("ingress", labels)
        assert taken == ({settings.gateway_port} if name == "gateway" else set()), name


def test_the_gateway_takes_client_addresses_only_from_proxies() -> None:
    """Behind the ingress every request comes from the controller; the registrant lookup
    limit (per address) needs the forwarded address, and "*" would let callers pick theirs."""
    trusted = environment(of_kind("Deployment")["gateway"]).get("FORWARDED_ALLOW_IPS", "")
    assert trusted and "*" not in trusted
