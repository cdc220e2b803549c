"""The alert rules and the dashboard (deploy/observability) ask for metrics that exist: ours
as the services expose them, the rest from the exporters named in alerts.yaml."""

import json
import re

import httpx
import yaml

from shared.paths import PROJECT_ROOT

OBSERVABILITY = PROJECT_ROOT / "deploy" / "observability"
# From CloudNativePG's exporter, kube-state-metrics and Prometheus itself.
EXTERNAL = {"cnpg_pg_replication_lag", "kube_deployment_status_replicas_available",
            "kube_deployment_spec_replicas", "up"}  # fmt: skip
FUNCTIONS = {"sum", "rate", "by", "histogram_quantile", "topk", "max", "le", "service",
             "route", "upstream", "outcome", "cluster", "pod", "deployment", "status"}  # fmt: skip


def _metrics_in(expression: str) -> set[str]:
    without_labels = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expression)  # and ranges, [5m]
    names = set(re.findall(r"[a-z_][a-z0-9_]*", without_labels))
    return {name for name in names if name not in FUNCTIONS and not name.isdigit()}


def _expressions() -> list[str]:
    rules = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())
    found = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((OBSERVABILITY / "dashboard.json").read_text())
    found += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    return found


def test_every_alert_says_how_bad_and_what_it_is() -> None:
    rules = yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in alerts}
    assert {"CtxhErrorRateHigh", "CtxhLatencyP99High", "CtxhNotReady"} <= names
    assert {"CtxhReplicationLagHigh", "CtxhSourceCallsFailing"} <= names
    for rule in alerts:
        assert rule["labels"]["severity"] in ("page", "ticket")
        assert rule["annotations"]["summary"]
        assert re.fullmatch(r"\d+m", rule["for"])


async def test_the_metrics_asked_for_are_ones_the_services_expose(
    reporting_client: httpx.AsyncClient,
) -> None:
    await reporting_client.get("/healthz")
    exposed = set(re.findall(r"^# TYPE (\S+)", (await reporting_client.get("/metrics")).text, re.M))
    ours = set()
    for expression in _expressions():
        for name in _metrics_in(expression) - EXTERNAL:
            base = re.sub(r"_(total|bucket|sum|count)$", "", name)
            ours.add(base)
    assert ours == {"http_requests", "http_request_duration_seconds", "upstream_requests"}
    assert ours <= {re.sub(r"_total$", "", name) for name in exposed}
