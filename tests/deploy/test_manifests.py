"""The Kubernetes manifests (deploy/k8s): both overlays render, and every object they render
is valid offline, strictly (an unknown field fails, as `kubectl apply` with strict field
validation would refuse it).

- Core kinds: against Kubernetes' own schemas (kubernetes-validate).
- CloudNativePG's kinds: against its CRDs' schemas, kept beside the project in
  `../shared/k8s-crds/` (or `CTXH_K8S_CRDS`), as they are taken from upstream.
- ServiceMonitor: its CRD is not kept, so its shape is checked here (what Prometheus needs).
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from services.cases.settings import CasesSettings
from services.reporting.settings import ReportingSettings
from services.workforce.settings import WorkforceSettings
from shared.paths import PROJECT_ROOT
from tools.worker import WORKER_POOL_SIZE

pytestmark = pytest.mark.once  # files checked, no database

K8S = PROJECT_ROOT / "deploy" / "k8s"
OVERLAYS = ["dev", "production"]
CRDS = Path(os.environ.get("CTXH_K8S_CRDS") or PROJECT_ROOT.parent / "shared" / "k8s-crds")
KUBERNETES = kubernetes_validate.utils.latest_version()


def render(overlay: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl renders the overlays (kubectl kustomize)"
    done = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(request.param)


def _strict(schema: Any) -> Any:
    """The schema, refusing properties it does not name (the API server would drop them)."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def _crd_schemas() -> dict[tuple[str, str], Any]:
    if not CRDS.is_dir():
        # Upstream's files are not copied into the repository; a checkout without them
        # beside it still validates every core kind above.
        pytest.skip(f"CloudNativePG's CRDs are not at {CRDS} (set CTXH_K8S_CRDS)")
    schemas = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            api_version = f"{group}/{version['name']}"
            schemas[(api_version, kind)] = _strict(version["schema"]["openAPIV3Schema"])
    return schemas


CUSTOM_GROUPS = {"postgresql.cnpg.io", "monitoring.coreos.com"}


def _custom(rendered: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (d for d in rendered if d["apiVersion"].split("/")[0] in CUSTOM_GROUPS)


def test_core_objects_are_valid_for_kubernetes(rendered: list[dict[str, Any]]) -> None:
    core = [d for d in rendered if d not in list(_custom(rendered))]
    assert {d["kind"] for d in core} >= {"Deployment", "Service", "NetworkPolicy", "Job"}
    for document in core:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_cloudnativepg_objects_are_valid_for_its_crds(rendered: list[dict[str, Any]]) -> None:
    schemas = _crd_schemas()
    checked = 0
    for document in _custom(rendered):
        if document["apiVersion"].startswith("postgresql.cnpg.io/"):
            schema = schemas[(document["apiVersion"], document["kind"])]
            jsonschema.validate(document, schema)
            checked += 1
    assert checked >= 3  # a cluster per service


def test_the_service_monitor_scrapes_every_service(rendered: list[dict[str, Any]]) -> None:
    (monitor,) = [d for d in rendered if d["kind"] == "ServiceMonitor"]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    selector = monitor["spec"]["selector"]["matchLabels"]
    services = [d for d in rendered if d["kind"] == "Service"]
    assert {s["metadata"]["name"] for s in services} == {"cases", "workforce", "reporting"}
    for service in services:
        assert selector.items() <= service["metadata"]["labels"].items()
        ports = {p["name"] for p in service["spec"]["ports"]}
        assert all(
            e["port"] in ports and e["path"] == "/metrics" for e in monitor["spec"]["endpoints"]
        )


@pytest.mark.parametrize("settings", [CasesSettings, WorkforceSettings, ReportingSettings])
def test_every_setting_of_a_service_is_set_by_its_deployment(
    rendered: list[dict[str, Any]], settings: type[CasesSettings]
) -> None:
    name = settings.model_fields["service_name"].default
    prefix = name.upper() + "_"
    (deployment,) = [
        d for d in rendered if d["kind"] == "Deployment" and d["metadata"]["name"] == name
    ]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    set_by = {e["name"] for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        (config,) = [
            d for d in rendered
            if d["kind"] == "ConfigMap" and d["metadata"]["name"] == source["configMapRef"]["name"]
        ]  # fmt: skip
        set_by |= set(config["data"])
    expected = {
        prefix + field.upper() for field in settings.model_fields if field != "service_name"
    }
    assert expected - set_by == set()
    assert set_by - expected == set(), "settings the service does not have"


def test_pods_run_as_non_root_with_a_read_only_root(rendered: list[dict[str, Any]]) -> None:
    for document in rendered:
        if document["kind"] not in ("Deployment", "Job"):
            continue
        pod = document["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["resources"]["requests"]
            assert container["resources"]["limits"]["memory"]


def test_a_databases_connections_suffice_for_every_process_its_service_may_have(
    rendered: list[dict[str, Any]],
) -> None:
    """Each process holds SQLAlchemy's pool (and as many again in overflow) and asyncpg's
    own (shared.db); PostgreSQL keeps some for superusers and replication."""
    reserved = 15
    workers = _one(rendered, "Deployment", "webhook-worker")
    worker_databases = {
        e["name"].removesuffix("_DATABASE_URL").lower()
        for e in workers["spec"]["template"]["spec"]["containers"][0]["env"]
        if e["name"].endswith("_DATABASE_URL")
    }
    for name in ("cases", "workforce", "reporting"):
        scaler = _one(rendered, "HorizontalPodAutoscaler", name)
        config = _one(rendered, "ConfigMap", f"{name}-config")
        cluster = _one(rendered, "Cluster", f"{name}-db")
        per_process = 3 * int(config["data"][f"{name.upper()}_DATABASE_POOL_SIZE"])
        needed = scaler["spec"]["maxReplicas"] * per_process + reserved
        if name in worker_databases:
            needed += workers["spec"]["replicas"] * 2 * WORKER_POOL_SIZE
        assert needed <= int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])


def _one(rendered: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (found,) = [d for d in rendered if d["kind"] == kind and d["metadata"]["name"] == name]
    return found
