"""`ctxh`: serve, migrate, deliver webhooks, escalate overdue referrals, find likely
duplicate people, mint development tokens, purge expired idempotency records, snapshot the
OpenAPI documents, and run the whole system for development."""

import argparse
import asyncio
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.auth.principal import SENSITIVE_READ, Role
from shared.auth.tokens import issue_dev_token
from shared.paths import PROJECT_ROOT, VAR_DIR
from shared.settings import ServiceSettings
from tools.services import SERVICES, migrations_of

DEMO_MARKER = VAR_DIR / "demo-loaded"
# The committed API contract: one OpenAPI document per service, what generated clients build on.
OPENAPI_DIR = PROJECT_ROOT / "openapi"
# The request line and headers h11 will buffer. It must exceed the apps' own URI limit
# (shared.limits, 8 KiB) by enough that a URL of up to 64 KiB reaches the app and gets its
# 414 problem, while a request head without end still cannot fill memory.
MAX_REQUEST_HEAD_BYTES = 96 * 1024


def service_settings(service: str) -> ServiceSettings:
    """The shared part of a service's settings, read under its own env prefix (CASES_, ...)."""
    return ServiceSettings(_env_prefix=f"{service.upper()}_", service_name=service)  # type: ignore[call-arg]


def share_metrics_between_workers(service: str) -> None:
    """Workers write their counts where each of them reads all (shared.metrics); a fresh
    directory per run, or a restart would add the last run's counts to this one's."""
    from shared.metrics import MULTIPROCESS_DIRECTORY

    if not os.environ.get(MULTIPROCESS_DIRECTORY):
        os.environ[MULTIPROCESS_DIRECTORY] = tempfile.mkdtemp(prefix=f"ctxh-metrics-{service}-")


def settings_refused(service: str) -> str | None:
    """Why the service's settings refuse to start, in a line naming the settings; the
    reasons only, since a validation error shows the values, secrets among them."""
    try:
        importlib.import_module(SERVICES[service].settings_module).get_settings()
    except ValidationError as refused:
        reasons = (str(error["msg"]).removeprefix("Value error, ") for error in refused.errors())
        return "; ".join(reasons)
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if (refused := settings_refused(args.service)) is not None:
        print(f"ctxh serve {args.service}: {refused}", file=sys.stderr)
        return 2
    if args.workers > 1:
        share_metrics_between_workers(args.service)
    uvicorn.run(
        SERVICES[args.service].app_factory,
        factory=True,
        # Uvicorn's own lines ("Started server process") follow the service's LOG_LEVEL.
        log_level=service_settings(args.service).log_level.lower(),
        host=args.host,
        port=args.port or SERVICES[args.service].port,
        reload=args.reload,
        access_log=False,
        workers=args.workers,
        http=args.http,
        # Only h11 has a limit to set; httptools caps URLs at 64 KiB and headers not at all.
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
    )
    return 0


def make_sqlite_directory(url: str) -> None:
    """SQLite creates its file but not the directory; the default (var/) is not in git."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def cmd_migrate(args: argparse.Namespace) -> int:
    from shared import migrations

    services = list(SERVICES) if args.service == "all" else [args.service]
    for service in services:
        url = args.url or service_settings(service).sqlalchemy_url()
        make_sqlite_directory(url)
        migrations.upgrade(migrations_of(service), url, args.revision)
        print(f"{service}: migrated to {args.revision}")
    return 0


def cmd_revision(args: argparse.Namespace) -> int:
    from shared import migrations

    url = args.url or service_settings(args.service).sqlalchemy_url()
    migrations.revision(migrations_of(args.service), url, args.message)
    return 0


def cmd_purge_idempotency(args: argparse.Namespace) -> int:
    import asyncio

    services = list(SERVICES) if args.service == "all" else [args.service]
    for service in services:
        settings = service_settings(service)
        hours = args.older_than_hours or settings.idempotency_ttl_hours
        deleted = asyncio.run(_purge_idempotency(settings.sqlalchemy_url(), hours))
        print(f"{service}: deleted {deleted} idempotency records older than {hours} h")
    return 0


async def _purge_idempotency(url: str, hours: int) -> int:
    import sqlalchemy as sa

    from shared.db import make_engine, utcnow
    from shared.idempotency import idempotency_table, purge_expired

    # The table is the same in every service, so a throwaway definition serves them all
    # without importing a service's models.
    table = idempotency_table(sa.MetaData())
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return await purge_expired(connection, table, utcnow() - timedelta(hours=hours))
    finally:
        await engine.dispose()


def cmd_escalate_referrals(args: argparse.Namespace) -> int:
    import asyncio

    url = args.url or service_settings("cases").sqlalchemy_url()
    escalated = asyncio.run(_escalate_referrals(url))
    print(f"cases: escalated {escalated} overdue referrals")
    return 0


async def _escalate_referrals(url: str) -> int:
    from services.cases.casework.deadlines import escalate_overdue
    from shared.db import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return await escalate_overdue(connection)
    finally:
        await engine.dispose()


def cmd_find_duplicates(args: argparse.Namespace) -> int:
    import asyncio

    url = args.url or service_settings("cases").sqlalchemy_url()
    counts = asyncio.run(_find_duplicates(url, args.province))
    print(
        f"cases: province {args.province}: {counts.found} likely duplicate pairs "
        f"({counts.pairs_examined} compared): {counts.created} new, {counts.updated} updated, "
        f"{counts.reopened} reopened, {counts.unchanged} unchanged, {counts.kept_reviewed} "
        f"already reviewed, {counts.outdated} no longer alike"
    )
    return 0


async def _find_duplicates(url: str, province: str) -> Any:
    from services.cases.duplicates.scan import scan_province
    from shared.db import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            return await scan_province(connection, province)
    finally:
        await engine.dispose()


def _province(value: str) -> str:
    from shared.admin_units import units_2025

    if value not in units_2025().provinces:
        raise argparse.ArgumentTypeError(f"unknown province code (2025 scheme): {value!r}")
    return value


def _hours(value: str) -> int:
    """Zero would erase the answers to retries that may still be on their way."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of hours, at least 1: {value!r}")
    return int(value)


def cmd_token(args: argparse.Namespace) -> int:
    token = issue_dev_token(
        ServiceSettings(),
        roles=[Role(role) for role in args.role],
        subject=args.subject,
        name=args.name,
        province_code=args.province,
        commune_code=args.commune,
        facility_id=args.facility,
        agency_id=args.agency,
        scopes=args.scope,
        ttl_seconds=args.ttl,
    )
    print(token)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from tools.worker import serve_webhooks

    writers = [name for name, service in SERVICES.items() if service.writes_events]
    names = writers if args.service == "all" else [args.service]
    settings = service_settings(names[0])
    return serve_webhooks(names, log_level=settings.log_level, log_json=settings.log_json)


def cmd_dev(args: argparse.Namespace) -> int:
    from tools.devserver import run_dev

    # The first start loads the demo province, so a newcomer's first request shows something.
    demo = (
        None
        if DEMO_MARKER.exists() or args.no_demo
        else [sys.executable, "-m", "tools.cli", "demo", "--wait", "--host", args.host]
    )
    # A terminal full of JSON access lines helps nobody here; CASES_LOG_LEVEL=INFO brings them back.
    for name in SERVICES:
        os.environ.setdefault(f"{name.upper()}_LOG_LEVEL", "WARNING")
        os.environ.setdefault(f"{name.upper()}_LOG_JSON", "false")
    # A developer's webhook receiver listens on this machine, which production refuses.
    for name, service in SERVICES.items():
        if service.writes_events:
            os.environ.setdefault(f"{name.upper()}_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    # Reporting reads the other two where this run serves them (CASES_PORT moves cases).
    for name in ("cases", "workforce"):
        url = f"http://{args.host}:{SERVICES[name].port}"
        os.environ.setdefault(f"REPORTING_{name.upper()}_URL", url)
    settings = {name: service_settings(name) for name in SERVICES}
    ports = {name: service.port for name, service in SERVICES.items()}
    return run_dev(settings, ports, host=args.host, first_run=demo)


def cmd_demo(args: argparse.Namespace) -> int:
    import asyncio

    from tools.demo.client import DemoLoadError
    from tools.demo.run import run_demo

    urls = {name: f"http://{args.host}:{service.port}" for name, service in SERVICES.items()}
    try:
        asyncio.run(run_demo(urls, ServiceSettings(), people=args.people, wait=args.wait))
    except DemoLoadError as failed:
        # The request that failed says it all; the stack of the loader would bury it.
        print(f"demo: {failed}", file=sys.stderr)
        return 1
    DEMO_MARKER.parent.mkdir(parents=True, exist_ok=True)
    DEMO_MARKER.touch()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import httpx

    from tools.report import ReportUnavailable, fetch_report, render_report

    token = args.token or os.environ.get("TOKEN") or _officer_token(args.province)
    headers = {"Authorization": f"Bearer {token}"}

    async def fetch() -> Any:
        async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=30) as client:
            return await fetch_report(client, args.id, args.plan, args.period)

    try:
        report = asyncio.run(fetch())
    except ReportUnavailable as why:
        print(f"ctxh report show: {why}", file=sys.stderr)
        return 1
    print(render_report(report))
    print(f"\nAs a file: {args.url}/api/v1/reports/{report.id}/export?format=csv (or xlsx)")
    return 0


def _officer_token(province: str) -> str:
    """Against `make dev`: a development token of the province's officer."""
    return issue_dev_token(
        ServiceSettings(),
        roles=[Role.PROVINCE_OFFICER],
        province_code=province,
        subject="ctxh-report-show",
        ttl_seconds=300,
    )


def cmd_plans(args: argparse.Namespace) -> int:
    import asyncio

    from services.reporting.plan.loader import load_seed_plans_into

    created = asyncio.run(load_seed_plans_into(service_settings("reporting").sqlalchemy_url()))
    print("created: " + (", ".join(created) or "nothing (all seed plans were there)"))
    return 0


def render_openapi(document: dict[str, Any]) -> str:
    """A document as committed under openapi/: stable, readable diffs of the contract."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    import importlib

    stale = []
    for service in SERVICES:
        # Building an app opens no database connection; app.openapi() needs none either.
        app = importlib.import_module(f"services.{service}.main").create_app()
        text = render_openapi(app.openapi())
        path = OPENAPI_DIR / f"{service}.json"
        if args.write:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{service}: wrote {path.relative_to(PROJECT_ROOT)}")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(service)
    if stale:
        print(f"stale: {', '.join(stale)}; run `ctxh openapi --write`", file=sys.stderr)
    return 1 if stale else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ctxh", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve one service")
    serve.add_argument("service", choices=SERVICES)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true")
    serve.add_argument(
        "--http",
        choices=["h11", "httptools"],
        default="h11",
        help="HTTP parser: h11 (default) bounds request heads and lets URLs up to 64 KiB get "
        "the service's 414 problem; httptools is faster but answers those with a plain 400 "
        "and does not bound headers",
    )
    serve.set_defaults(run=cmd_serve)

    migrate = sub.add_parser("migrate", help="upgrade a service's database")
    migrate.add_argument("service", choices=[*SERVICES, "all"])
    migrate.add_argument("--revision", default="head")
    migrate.add_argument("--url", help="database URL; defaults to the service's settings")
    migrate.set_defaults(run=cmd_migrate)

    revision = sub.add_parser("revision", help="autogenerate a migration from the models")
    revision.add_argument("service", choices=SERVICES)
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--url", help="a database migrated to head; defaults to settings")
    revision.set_defaults(run=cmd_revision)

    purge = sub.add_parser(
        "purge-idempotency", help="delete expired idempotency records (schedule it, e.g. hourly)"
    )
    purge.add_argument("service", nargs="?", choices=[*SERVICES, "all"], default="all")
    purge.add_argument(
        "--older-than-hours",
        type=_hours,
        metavar="N",
        help="defaults to each service's <SVC>_IDEMPOTENCY_TTL_HOURS",
    )
    purge.set_defaults(run=cmd_purge_idempotency)

    worker = sub.add_parser("worker", help="deliver webhooks until stopped (run one or more)")
    worker.add_argument(
        "service",
        nargs="?",
        default="all",
        choices=["all", *(name for name, s in SERVICES.items() if s.writes_events)],
    )
    worker.set_defaults(run=cmd_worker)

    escalate = sub.add_parser(
        "escalate-referrals",
        help="escalate referrals past their deadlines, once each (schedule it, e.g. every "
        "10 minutes; concurrent runs are safe)",
    )
    escalate.add_argument("--url", help="the cases database URL; defaults to its settings")
    escalate.set_defaults(run=cmd_escalate_referrals)

    duplicates = sub.add_parser(
        "find-duplicates",
        help="find a province's likely duplicate people for its officers to review (schedule "
        "it, e.g. nightly; reruns are safe and never reopen a dismissed pair)",
    )
    duplicates.add_argument("--province", required=True, type=_province, help="2-digit code")
    duplicates.add_argument("--url", help="the cases database URL; defaults to its settings")
    duplicates.set_defaults(run=cmd_find_duplicates)

    token = sub.add_parser("token", help="print a development token accepted by all services")
    token.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    token.add_argument("--province", help="2-digit province code (2025 scheme)")
    token.add_argument("--commune", help="5-digit commune/ward code (2025 scheme)")
    token.add_argument("--facility", type=UUID, help="facility id from the workforce service")
    token.add_argument("--agency", type=UUID, help="agency id from reporting (agency officers)")
    token.add_argument("--scope", action="append", default=[], help=f"e.g. {SENSITIVE_READ}")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.add_argument("--subject", help="the token's subject (user id)")
    token.add_argument("--name", default="", help="display name")
    token.set_defaults(run=cmd_token)

    dev = sub.add_parser("dev", help="migrate and run all three services (SQLite under var/)")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--no-demo", action="store_true", help="do not load the demo on first start")
    dev.set_defaults(run=cmd_dev)

    demo = sub.add_parser("demo", help="load a demo province into the running services")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--people", type=int, default=2000)
    demo.add_argument("--wait", action="store_true", help="wait for the services to be ready")
    demo.set_defaults(run=cmd_demo)

    report = sub.add_parser("report", help="show a report of the running reporting service")
    report.add_argument("action", choices=["show"])
    report.add_argument("id", nargs="?", type=UUID, help="the report's id; or --plan/--period")
    report.add_argument("--plan", help="the plan's code, e.g. HD-2025: its newest report")
    report.add_argument("--period", help="e.g. 2025 or 2025S1")
    report.add_argument(
        "--url", default=f"http://127.0.0.1:{SERVICES['reporting'].port}", help="reporting"
    )
    report.add_argument(
        "--token", help="bearer token; default $TOKEN, else a development officer's token"
    )
    report.add_argument("--province", type=_province, default="31", help="for that token")
    report.set_defaults(run=cmd_report)

    plans = sub.add_parser("plans", help="load the seed plans into the reporting database")
    plans.add_argument("action", choices=["load"])
    plans.set_defaults(run=cmd_plans)

    openapi = sub.add_parser("openapi", help="write or check the snapshots under openapi/")
    mode = openapi.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write openapi/<service>.json")
    mode.add_argument("--check", action="store_true", help="exit 1 if a committed snapshot differs")
    openapi.set_defaults(run=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
