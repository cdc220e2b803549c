"""A plan's tasks (section II), responsible agencies (section IV) and the 2025 reform's
mapping of them, as data. The seed plans already loaded get theirs from the seed files
(whose codes they carry); other plans created before keep empty lists.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 01:00:00
"""

import json
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("tasks", "responsibilities", "reform")
SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
            )
    plan = sa.table("plan", sa.column("code"), *(sa.column(name, sa.JSON()) for name in COLUMNS))
    for path in sorted(SEED_DIR.glob("*.json")):
        seed = json.loads(path.read_text(encoding="utf-8"))
        op.execute(
            plan.update()
            .where(plan.c.code == seed["code"])
            .values({name: seed.get(name, []) for name in COLUMNS})
        )


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.drop_column(name)
