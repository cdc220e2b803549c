"""The bar for single-record reads: the same work through bare FastAPI + asyncpg.

No auth, no validation, no ORM: just what any service must do to serve GET /persons/{id} and
GET /cases/{id} for a province officer. Each read sends the statement the cases service
sends (written out by hand here): the row within the province, with the person's
categories or the case's person, and its access-log entry, in one statement.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import FastAPI, HTTPException

PERSON = """
WITH found AS (
  SELECT person.*, (SELECT string_agg(category_code, ',') FROM person_category
                    WHERE person_category.person_id = person.id) AS category_codes
  FROM person
  WHERE person.id = $1 AND (person.province_code = $2 OR EXISTS (
    SELECT 1 FROM case_file
    WHERE case_file.person_id = person.id AND case_file.province_code = $2))),
logged AS (
  INSERT INTO access_log (at, actor, actor_roles, record_type, sensitive, purpose, request_id,
                          person_id)
  SELECT now(), 'bench', 'province_officer', 'person', false, NULL, NULL, found.id FROM found)
SELECT * FROM found
"""

CASE = """
WITH found AS (
  SELECT case_file.*, person.full_name AS person_full_name, person.sex AS person_sex,
         person.birth_date AS person_birth_date
  FROM case_file JOIN person ON person.id = case_file.person_id
  WHERE case_file.id = $1 AND case_file.province_code = $2),
logged AS (
  INSERT INTO access_log (at, actor, actor_roles, record_type, sensitive, purpose, request_id,
                          person_id, case_id)
  SELECT now(), 'bench', 'province_officer', 'case', false, NULL, NULL, found.person_id,
         found.id FROM found)
SELECT * FROM found
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    url = os.environ["BASELINE_DATABASE_URL"].replace("postgresql+asyncpg", "postgresql")
    app.state.pool = await asyncpg.create_pool(url, min_size=2, max_size=10)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


async def _read(statement: str, record_id: UUID) -> dict[str, Any]:
    async with app.state.pool.acquire() as connection:
        row = await connection.fetchrow(statement, record_id, "31")
    if row is None:
        raise HTTPException(404)
    return dict(row)


@app.get("/persons/{person_id}")
async def get_person(person_id: UUID) -> dict[str, Any]:
    person = await _read(PERSON, person_id)
    codes = person.pop("category_codes")
    return {**person, "categories": sorted(codes.split(",")) if codes else []}


@app.get("/cases/{case_id}")
async def get_case(case_id: UUID) -> dict[str, Any]:
    return await _read(CASE, case_id)
