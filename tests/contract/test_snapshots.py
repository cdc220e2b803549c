"""Each service's live OpenAPI document is the one committed under openapi/.

Generated clients (mobile, web, other services) are built from those snapshots, so a change
to a document must be seen in review: rewrite the snapshots, read their diff, and say in
CHANGELOG.md what changed for clients.
"""

import difflib

import pytest
from fastapi import FastAPI

from tools.cli import OPENAPI_DIR, SERVICES, render_openapi

# Enough of the diff to see what moved; `git diff openapi/` after rewriting shows all of it.
DIFF_LINES = 60


@pytest.mark.parametrize("service", list(SERVICES))
async def test_the_document_is_the_committed_snapshot(
    apps: dict[str, FastAPI], service: str
) -> None:
    path = OPENAPI_DIR / f"{service}.json"
    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    live = render_openapi(apps[service].openapi())
    if live == committed:
        return
    diff = difflib.unified_diff(
        committed.splitlines(), live.splitlines(), f"openapi/{service}.json", "live", lineterm=""
    )
    head = "\n".join(list(diff)[:DIFF_LINES])
    pytest.fail(
        f"the {service} OpenAPI document differs from openapi/{service}.json.\n"
        "Run `.venv/bin/ctxh openapi --write`, review the diff of openapi/, and add an entry "
        f"to CHANGELOG.md saying what changed for clients.\n\n{head}",
        pytrace=False,
    )
