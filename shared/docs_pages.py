"""/docs (Swagger UI) and /redoc, served with their scripts and styles from the service
itself: FastAPI's defaults load them from a CDN, which the provinces' closed government
networks cannot reach, and the pages then stay blank.

The files come from the pinned `fastapi-offline` package; only its static folder is used,
the pages themselves are FastAPI's own (get_swagger_ui_html, get_redoc_html).
"""

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/docs-assets"
ASSETS_DIRECTORY = Path(fastapi_offline.__file__).parent / "static"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def _root(request: Request) -> str:
    """Behind a proxy that serves the service under a prefix, the pages' URLs carry it."""
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")


def install_docs_pages(app: FastAPI) -> None:
    """Build the app with docs_url=None and redoc_url=None, then call this. Like FastAPI's
    own, these are plain routes outside the OpenAPI document and carry no access policy:
    the pages show only the public document (shared.access skips routes without one)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIRECTORY), name="docs-assets")

    def _openapi_url(request: Request) -> str:
        return _root(request) + (app.openapi_url or "")

    def _asset(request: Request, name: str) -> str:
        return _root(request) + f"{ASSETS_PATH}/{name}"

    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=_openapi_url(request),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=_asset(request, "swagger-ui-bundle.js"),
            swagger_css_url=_asset(request, "swagger-ui.css"),
            swagger_favicon_url=_asset(request, "favicon.png"),
            oauth2_redirect_url=OAUTH2_REDIRECT_PATH,
        )

    async def oauth2_redirect(request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=_openapi_url(request),
            title=f"{app.title} - ReDoc",
            redoc_js_url=_asset(request, "redoc.standalone.js"),
            redoc_favicon_url=_asset(request, "favicon.png"),
            # Google's fonts are a CDN too; the system's fonts read as well.
            with_google_fonts=False,
        )

    app.add_route("/docs", swagger_ui, include_in_schema=False)
    app.add_route(OAUTH2_REDIRECT_PATH, oauth2_redirect, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)
