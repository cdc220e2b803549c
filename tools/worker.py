"""`ctxh worker`: deliver the webhooks of every service that writes events, and run its
chores (shared.chores: escalating overdue referrals), until SIGTERM or Ctrl-C; then finish
the attempts in hand. Run as many as you like: they share the work through the database
(shared.webhooks.worker), and every chore is safe run twice at once."""

import asyncio
import importlib
import importlib.util
import signal
from collections.abc import Coroutine
from typing import Any

import httpx
import structlog

from shared.chores import Chore, run_chore
from shared.db import Limits, Transactions, make_engine
from shared.logging import configure_logging
from shared.webhooks.worker import DeliveryWorker, WorkerSettings
from tools.services import SERVICES

log = structlog.get_logger("ctxh.worker")
# Connections per service database (and as many again in overflow): a worker's transactions
# are short and none is held while a receiver answers.
WORKER_POOL_SIZE = 4


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)


async def run_worker(names: list[str]) -> None:
    from tools.cli import service_settings

    stop = asyncio.Event()
    _stop_on_signals(stop)
    jobs: list[Coroutine[Any, Any, None]] = []
    engines = []
    # No proxy from the environment, no redirects: a delivery goes to the checked address.
    async with httpx.AsyncClient(trust_env=False, follow_redirects=False) as client:
        for name in names:
            settings = service_settings(name)
            module = importlib.import_module(SERVICES[name].webhooks)
            engine = make_engine(
                settings.sqlalchemy_url(),
                pool_size=WORKER_POOL_SIZE,
                limits=Limits(statement_timeout_ms=settings.database_statement_timeout_ms),
            )
            engines.append(engine)
            worker_settings = WorkerSettings.of(settings)
            worker = DeliveryWorker(
                Transactions(engine), module.tables, module.source, worker_settings, client
            )
            jobs.append(worker.run(stop))
            jobs += [run_chore(engine, chore, stop) for chore in _chores(name)]
        log.info("worker_started", services=names)
        try:
            await asyncio.gather(*jobs)
        finally:
            for engine in engines:
                await engine.dispose()
    log.info("worker_stopped")


def _chores(name: str) -> list[Chore]:
    """The service's timed work (`services/<name>/chores.py`), under its own settings."""
    if importlib.util.find_spec(f"services.{name}.chores") is None:
        return []
    settings = importlib.import_module(f"services.{name}.settings").get_settings()
    chores: list[Chore] = importlib.import_module(f"services.{name}.chores").chores(settings)
    return chores


def serve_webhooks(names: list[str], *, log_level: str, log_json: bool) -> int:
    configure_logging(log_level, json=log_json)
    asyncio.run(run_worker(names))
    return 0
