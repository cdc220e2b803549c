"""Creating and reading plans; loading the seed plans."""

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.access import check_may_author, plan_scope
from services.reporting.common import history
from services.reporting.indicators.catalogue import CATALOGUE
from services.reporting.plan.errors import PlanCodeExists, PlanNotFound
from services.reporting.plan.models import Plan, Target, plan_t, target_t
from services.reporting.plan.schemas import PlanIn, PlanRead, TargetRead, TerritoryIn
from services.reporting.territory import resolve
from shared.auth import Principal
from shared.db import load_all, utcnow
from shared.history import record_event
from shared.models import new_id
from shared.records import fetch_in_scope, unique_or, values_of

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


async def create_plan(connection: AsyncConnection, principal: Principal, data: PlanIn) -> UUID:
    territory = resolve(data.territory.scheme, data.territory.code, data.territory.shared_wards)
    check_may_author(principal, data.level == "national", territory.province_code)
    now = utcnow()
    plan_id = new_id()
    values = {
        "id": plan_id,
        "code": data.code,
        "name_vi": data.name_vi,
        "name_en": data.name_en,
        "level": data.level,
        "territory_scheme": data.territory.scheme,
        "territory_code": data.territory.code,
        "province_code": territory.province_code,
        "shared_wards": data.territory.shared_wards,
        "period_start": data.period_start,
        "period_end": data.period_end,
        "deadlines": [d.model_dump() for d in data.deadlines],
        "source_document": data.source_document,
        "tasks": [t.model_dump() for t in data.tasks],
        "responsibilities": [r.model_dump() for r in data.responsibilities],
        "reform": [r.model_dump() for r in data.reform],
        "version": 1,
        "created_by": principal.subject,
        "created_at": now,
        "updated_at": now,
        "archived_at": None,
    }
    async with unique_or(connection, lambda: PlanCodeExists(f"plan code {data.code} is taken")):
        await connection.execute(plan_t.insert().values(**values))
    await connection.execute(
        target_t.insert(),
        [
            {"id": new_id(), "plan_id": plan_id, "position": i, **t.model_dump()}
            for i, t in enumerate(data.targets)
        ],
    )
    await record_event(
        connection,
        history,
        principal,
        entity_type="plan",
        entity_id=plan_id,
        action="created",
        changes={"code": data.code},
    )
    return plan_id


async def get_plan_row(connection: AsyncConnection, principal: Principal, plan_id: UUID) -> Plan:
    return await fetch_in_scope(connection, Plan, plan_id, plan_scope(principal), PlanNotFound)


async def targets_of(connection: AsyncConnection, plan_id: UUID) -> list[Target]:
    query = sa.select(Target).where(target_t.c.plan_id == plan_id).order_by(target_t.c.position)
    return await load_all(connection, query)


def plan_read(plan: Any, targets: list[Target]) -> PlanRead:
    return PlanRead(
        id=plan.id,
        code=plan.code,
        name_vi=plan.name_vi,
        name_en=plan.name_en,
        level=plan.level,
        territory=TerritoryIn(
            scheme=plan.territory_scheme, code=plan.territory_code, shared_wards=plan.shared_wards
        ),
        province_code=plan.province_code,
        period_start=plan.period_start,
        period_end=plan.period_end,
        deadlines=plan.deadlines,
        source_document=plan.source_document,
        targets=[
            TargetRead(
                **values_of(target_t, t),
                name_vi=CATALOGUE[t.indicator].name_vi,
                name_en=CATALOGUE[t.indicator].name_en,
                unit=CATALOGUE[t.indicator].unit,
            )
            for t in targets
        ],
        tasks=plan.tasks or [],
        responsibilities=plan.responsibilities or [],
        reform=plan.reform or [],
        version=plan.version,
    )


async def read_plan(connection: AsyncConnection, principal: Principal, plan_id: UUID) -> PlanRead:
    """A plan in the caller's scope with its targets, as clients read it."""
    plan = await get_plan_row(connection, principal, plan_id)
    return plan_read(plan, await targets_of(connection, plan_id))


async def list_plans(connection: AsyncConnection, principal: Principal) -> list[PlanRead]:
    plans = (
        await connection.execute(
            sa.select(plan_t)
            .where(plan_scope(principal), plan_t.c.archived_at.is_(None))
            .order_by(plan_t.c.period_start, plan_t.c.code)
        )
    ).all()
    return [plan_read(p, await targets_of(connection, p.id)) for p in plans]


def seed_plans() -> list[PlanIn]:
    """The plans shipped as data: both seed provinces and Decision 112's national targets."""
    return [
        PlanIn.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(SEED_DIR.glob("*.json"))
    ]


async def load_seed_plans(connection: AsyncConnection, principal: Principal) -> list[str]:
    """Create the seed plans not yet present (by code); returns the codes created."""
    existing = set((await connection.execute(sa.select(plan_t.c.code))).scalars())
    created = []
    for plan in seed_plans():
        if plan.code not in existing:
            await create_plan(connection, principal, plan)
            created.append(plan.code)
    return created
