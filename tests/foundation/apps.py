"""A small app built with the shared plumbing, with routes that exercise each error path."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, Field

from shared.access import Public, policy
from shared.app import build_app
from shared.auth import Principal, Role
from shared.db import Database
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


@router.get("/boom", dependencies=OPEN)
async def boom() -> dict:
    """Fails with an internal error whose text must never reach the caller."""
    raise RuntimeError("SELECT secret FROM internals -- password=hunter2")


def probe_app(database: Database, dev_key_path: Path) -> FastAPI:
    settings = ServiceSettings(service_name="probe", dev_key_path=dev_key_path, environment="test")
    return build_app(
        settings, title="probe", description="probe", routers=[router], database=database
    )
