"""A small app built with the shared plumbing, with routes that exercise each error path."""

import asyncio
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import text

from shared.access import Public, policy
from shared.app import build_app
from shared.auth import Principal, Role
from shared.auth.principal import stashed_principal
from shared.db import Database, SessionDep
from shared.settings import ServiceSettings

router = APIRouter()
OPEN = [Public]  # the probe's error paths need no token
ADMINS = policy("admins", {Role.ADMIN}, "Admins only")


class Thing(BaseModel):
    name: str = Field(min_length=1)
    count: int = Field(ge=0)


@router.post("/things", dependencies=OPEN)
async def create_thing(thing: Thing) -> Thing:
    """Echo a valid thing back."""
    return thing


@router.get("/admin-only")
async def admin_only(principal: Annotated[Principal, Depends(ADMINS.dependency())]) -> dict:
    """Only admins get here."""
    return {"subject": principal.subject}


@router.post("/sink")
@router.post("/imports/sink", name="import_sink")
async def sink(
    request: Request, principal: Annotated[Principal, Depends(ADMINS.dependency())]
) -> dict:
    """Reads the raw body as an upload does; tells whether the caller was verified first."""
    body = await request.body()
    return {"bytes": len(body), "verified_first": stashed_principal(request.scope) is not None}


@router.get("/slow-query", dependencies=OPEN)
async def slow_query(session: SessionDep, seconds: float = 3.0) -> dict:
    """Keeps the database busy, as a heavy search would."""
    if session.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": seconds})
    else:
        await asyncio.sleep(seconds)
    return {"slept": seconds}


@router.get("/boom", dependencies=OPEN)
async def boom() -> dict:
    """Fails with an internal error whose text must never reach the caller."""
    raise RuntimeError("SELECT secret FROM internals -- password=hunter2")


def probe_app(database: Database, dev_key_path: Path) -> FastAPI:
    settings = ServiceSettings(service_name="probe", dev_key_path=dev_key_path, environment="test")
    return build_app(
        settings, title="probe", description="probe", routers=[router], database=database
    )
