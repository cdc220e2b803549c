"""The bar for single-record reads: the same statements through bare FastAPI + asyncpg.

No auth, no validation, no ORM: just what any service must do to serve GET /persons/{id}
(read the row within the province, read its categories, log the access) in one transaction.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import FastAPI, HTTPException

PERSON = """
SELECT * FROM person WHERE id = $1 AND (province_code = $2 OR EXISTS (
  SELECT 1 FROM case_file WHERE case_file.person_id = person.id AND case_file.province_code = $2))
"""
CATEGORIES = "SELECT category_code FROM person_category WHERE person_id = $1"
LOG = """INSERT INTO access_log (at, actor, actor_roles, person_id, record_type, sensitive)
VALUES (now(), 'bench', 'province_officer', $1, 'person', false)"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    url = os.environ["BASELINE_DATABASE_URL"].replace("postgresql+asyncpg", "postgresql")
    app.state.pool = await asyncpg.create_pool(url, min_size=2, max_size=10)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/persons/{person_id}")
async def get_person(person_id: UUID) -> dict[str, Any]:
    async with app.state.pool.acquire() as connection, connection.transaction():
        row = await connection.fetchrow(PERSON, person_id, "31")
        if row is None:
            raise HTTPException(404)
        categories = await connection.fetch(CATEGORIES, person_id)
        await connection.execute(LOG, person_id)
    return {**dict(row), "categories": [c["category_code"] for c in categories]}
