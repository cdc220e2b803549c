"""Migration 0005 turns a course's typed funding source into a code and keeps the words."""

import asyncio
import uuid
from pathlib import Path

import sqlalchemy as sa

from shared import migrations
from shared.db import make_engine
from shared.testing import fresh_database
from tools.services import migrations_of

TYPED = {
    "UNICEF": ("international", "UNICEF"),
    "Ngân sách tỉnh": ("state_budget", "Ngân sách tỉnh"),
    "Cá nhân tự chi trả": ("self_funded", "Cá nhân tự chi trả"),
    "Hội Chữ thập đỏ": ("other", "Hội Chữ thập đỏ"),
    "socialised": ("socialised", None),
}


async def _run(url: str, statement: str, **values: object) -> list[sa.Row]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(sa.text(statement), values)
            return list(result) if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_typed_funding_becomes_a_code_and_the_words_are_kept(test_dir: Path) -> None:
    url = await fresh_database("ctxh_migrate_course_funding", test_dir)
    await asyncio.to_thread(migrations.upgrade, migrations_of("workforce"), url, "0004")
    for typed in TYPED:
        await _run(
            url,
            "INSERT INTO course (id, version, created_by, created_at, updated_at, kind, topic,"
            " organiser, start_date, end_date, funding_source, province_code) VALUES (:id, 1,"
            " 'test', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'basic', :typed, 'Sở Y tế',"
            " '2025-03-01', '2025-03-05', :typed, '31')",
            id=uuid.uuid4().hex if "sqlite" in url else str(uuid.uuid4()),
            typed=typed,
        )
    await asyncio.to_thread(migrations.upgrade, migrations_of("workforce"), url, "0005")
    rows = await _run(url, "SELECT topic, funding_source, funder_name, version FROM course")
    assert {topic: (code, name) for topic, code, name, _ in rows} == TYPED
    assert {topic: version for topic, *_, version in rows}["socialised"] == 1  # untouched

    await asyncio.to_thread(migrations.downgrade, migrations_of("workforce"), url, "0004")
    rows = await _run(url, "SELECT topic, funding_source FROM course")
    assert dict(rows) == {typed: typed for typed in TYPED}
