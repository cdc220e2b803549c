"""Build a service's FastAPI app with everything the three services share."""

import gc
import hashlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from shared.access import route_policies
from shared.auth.tokens import make_verifier
from shared.db import Database, Limits
from shared.disconnect import CancelOnDisconnect
from shared.docs_pages import install_docs_pages
from shared.fastlane import FastLane, fast_lane
from shared.health import router as health_router
from shared.idempotency import IdempotentReplay, replay_handler
from shared.lean import check_lean_routes
from shared.limits import RequestLimitsMiddleware
from shared.logging import configure_logging
from shared.metrics import Metrics
from shared.middleware import RequestContextMiddleware
from shared.openapi import install_openapi
from shared.outages import install_outage_handlers
from shared.pagination import use_cursor_key
from shared.problem_handlers import install_problem_handlers
from shared.settings import ServiceSettings
from shared.tracing import configured_provider, trace_requests
from shared.whoami import router as whoami_router

API_PREFIX = "/api/v1"


def cursor_key(settings: ServiceSettings) -> bytes:
    secret = settings.cursor_secret or settings.database_url
    material = secret.get_secret_value() if secret else settings.sqlalchemy_url()
    return hashlib.sha256(f"ctxh-cursor:{settings.service_name}:{material}".encode()).digest()


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route function names (list_cases, get_case): stable for clients."""
    return route.name


class ServiceApp(FastAPI):
    """A service's app: FastAPI, with the lean routes' requests served beside its stack
    (shared.fastlane)."""

    fast_lane: FastLane | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            (lane := self.fast_lane) is not None
            and scope["type"] == "http"
            and (taken := lane.lane_for(scope)) is not None
        ):
            await lane.serve(taken, scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def build_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    tags: list[dict[str, str]] | None = None,
    database: Database | None = None,
    resources: dict[str, Any] | None = None,
    examples: Path | None = None,
    webhooks: APIRouter | None = None,
) -> FastAPI:
    """`resources` go on app.state by name and are closed (their `close()`) at shutdown.
    `examples` is the service's file of recorded examples for its OpenAPI document;
    `webhooks`, the requests the service sends to subscribers, for its `webhooks` section."""
    configure_logging(
        settings.log_level, json=settings.log_json, cache=settings.environment != "test"
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What start-up built lives as long as the process (routes, schemas, the units of
        # the country): moved out of the collector's sight, or every full collection walks
        # its ~230,000 objects, about 100 ms during which no request is served.
        gc.collect()
        gc.freeze()
        yield
        if app.state.tracer_provider:
            app.state.tracer_provider.shutdown()  # sends the spans still waiting
        for resource in (resources or {}).values():
            await resource.close()
        await app.state.token_verifier.close()
        await app.state.database.dispose()

    app = ServiceApp(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_tags=tags,
        generate_unique_id_function=operation_id,
        # Served by install_docs_pages, from local files instead of a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    if webhooks is not None:
        app.webhooks.include_router(webhooks)
    app.state.database = database or Database.from_url(
        settings.sqlalchemy_url(),
        pool_size=settings.database_pool_size,
        echo=settings.database_echo,
        limits=Limits(
            pool_timeout_seconds=settings.database_pool_timeout_seconds,
            connect_timeout_seconds=settings.database_connect_timeout_seconds,
            statement_timeout_ms=settings.database_statement_timeout_ms,
        ),
    )
    use_cursor_key(cursor_key(settings))
    app.state.token_verifier = make_verifier(settings)
    app.state.metrics = Metrics(settings.service_name)
    for name, resource in (resources or {}).items():
        setattr(app.state, name, resource)

    install_problem_handlers(app)
    install_outage_handlers(app)
    app.add_exception_handler(IdempotentReplay, replay_handler)
    install_openapi(app, examples)
    # Innermost: it sees the body already checked, and cancels only the route's own work.
    app.add_middleware(CancelOnDisconnect)
    # Added before the request context, so it runs inside it and its answers carry the id.
    app.add_middleware(
        RequestLimitsMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        max_import_job_bytes=settings.max_import_job_bytes,
        routes=app.router.routes,
        api_prefix=API_PREFIX,
    )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    # Outermost: the span covers everything the service does with the request.
    app.state.tracer_provider = configured_provider(settings)
    if app.state.tracer_provider:
        trace_requests(app, app.state.tracer_provider)
    app.include_router(health_router)
    install_docs_pages(app)
    for router in [whoami_router, *routers]:
        app.include_router(router, prefix=API_PREFIX)
    # Fail at start-up, not at the first request, when a route forgets its access policy.
    route_policies(app)
    check_lean_routes(app.routes)
    app.fast_lane = fast_lane(app)
    return app
