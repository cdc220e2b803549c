"""A course's funding source is a code (state_budget, socialised, international, self_funded,
other), no longer free text; who pays, by name, goes in the new `funder_name`.

Text typed before is kept in `funder_name` and read for the source it names: a budget or a
state programme ("Ngân sách tỉnh", "Đề án 112"), socialised resources, a foreign donor
("UNICEF", "Plan International"), the participants themselves ("Cá nhân tự chi trả");
anything else becomes `other`. Downgrading puts the text back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODES = ("state_budget", "socialised", "international", "self_funded", "other")
# First match wins, on lower-case text without diacritics.
NAMED = (
    ("other", re.compile(r"\bngoai ngan sach\b")),  # "outside the budget" names no source
    ("self_funded", re.compile(r"\b(tu chi tra|tu tuc|tu tra|tu tai tro)\b")),
    ("state_budget", re.compile(r"\b(ngan sach|nsnn|de an|chuong trinh muc tieu)\b")),
    ("socialised", re.compile(r"\b(xa hoi hoa)\b")),
    (
        "international",
        re.compile(r"\b(quoc te|vien tro|nuoc ngoai|international|unicef|usaid|undp|oda|ngo)\b"),
    ),
)

course = sa.table(
    "course",
    sa.column("funding_source", sa.String),
    sa.column("funder_name", sa.String),
    sa.column("version", sa.Integer),
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def code_of(text: str) -> str:
    if text in CODES:
        return text
    plain = _plain(text)
    return next((code for code, pattern in NAMED if pattern.search(plain)), "other")


def upgrade() -> None:
    op.add_column("course", sa.Column("funder_name", sa.String(length=300), nullable=True))
    connection = op.get_bind()
    typed = connection.execute(
        sa.select(course.c.funding_source)
        .where(course.c.funding_source.is_not(None), course.c.funding_source.not_in(CODES))
        .distinct()
    ).scalars()
    for text in list(typed):
        connection.execute(
            course.update()
            .where(course.c.funding_source == text)
            # Another value under the same version would keep clients' ETags valid.
            .values(funding_source=code_of(text), funder_name=text, version=course.c.version + 1)
        )


def downgrade() -> None:
    # The words typed before, where there were any; the 30 characters the column held then.
    op.execute(
        course.update()
        .where(course.c.funder_name.is_not(None))
        .values(funding_source=sa.func.substr(course.c.funder_name, 1, 30))
    )
    with op.batch_alter_table("course") as batch:  # SQLite rebuilds the table to drop one
        batch.drop_column("funder_name")
