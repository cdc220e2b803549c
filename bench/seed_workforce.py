"""Seed a workforce database with a province's registry: facilities, 10,000 workers, their
positions and allowances, courses and participations (COPY, fast)."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from shared.admin_units import units_2025
from shared.text import search_key

KINDS = [
    ("social_assistance", "social"),
    ("drug_rehab", "social"),
    ("prison", "public_security"),
    ("reformatory_school", "public_security"),
    ("judicial_body", "justice"),
    ("school", "education"),
    ("health_facility", "health"),
    ("commune_committee", "local_government"),
    ("mass_organisation", "mass_organisation"),
    ("other", "other"),
]
COURSE_KINDS = [
    "degree_intermediate",
    "degree_college",
    "degree_university",
    "degree_postgraduate",
    "in_depth_skills",
    "short_skills",
]
TRACKED = ["version", "created_by", "created_at", "updated_at", "archived_at"]


def _tracked(now: datetime) -> tuple[Any, ...]:
    return (1, "seed", now, now, None)


def _facilities(rng: random.Random, count: int, now: datetime) -> list[tuple[Any, ...]]:
    wards = [w.code for w in units_2025().wards_of("31")]
    rows = []
    for i in range(count):
        kind, sector = KINDS[i % len(KINDS)]
        name = f"{kind} {i}"
        rows.append(
            (
                uuid.uuid4(),
                *_tracked(now),
                f"BF-{i:05d}",
                name,
                search_key(name),
                kind,
                sector,
                "public",
                rng.random() < 0.4,
                rng.random() < 0.5,
                rng.random() < 0.6,
                "[]",
                None,  # no override: the ward's region applies
                "31",
                rng.choice(wards),
                None,
                date(2018, 1, 1),
                None,
            )
        )
    return rows


def _people(
    rng: random.Random, count: int, facilities: list[tuple[Any, ...]], now: datetime
) -> Any:
    workers, assignments, allowances = [], [], []
    for i in range(count):
        name = f"Cán bộ {i}"
        worker_id = uuid.uuid4()
        workers.append(
            (
                worker_id,
                *_tracked(now),
                name,
                search_key(name),
                rng.choice(["male", "female"]),
                date(1970, 1, 1) + timedelta(days=rng.randint(0, 12000)),
                f"031{i:09d}",
                None,
                None,
                rng.choice(["none", "intermediate", "university"]),
                None,
                "active",
                "31",
            )
        )
        # Two posts of one worker are at two facilities: the same one twice could overlap,
        # which the registry refuses (pgonly_assignment_no_overlap).
        for facility in rng.sample(facilities, rng.choice([1, 1, 1, 2])):
            assignment_id, start = (
                uuid.uuid4(),
                date(2020, 1, 1) + timedelta(days=rng.randint(0, 1800)),
            )
            end = start + timedelta(days=rng.randint(200, 1500)) if rng.random() < 0.2 else None
            assignments.append(
                (
                    assignment_id,
                    *_tracked(now),
                    worker_id,
                    facility[0],
                    rng.choice(["full_time", "part_time", "collaborator", "volunteer"]),
                    rng.random() < 0.85,
                    None,
                    start,
                    end,
                )
            )
            allowances.append(
                (uuid.uuid4(), assignment_id, rng.randint(5, 60) * 100_000, start, end, "seed")
            )
    return workers, assignments, allowances


def _training(rng: random.Random, workers: list[tuple[Any, ...]], now: datetime) -> Any:
    courses, participations = [], []
    for i in range(200):
        start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1800))
        course_id = uuid.uuid4()
        courses.append(
            (
                course_id,
                *_tracked(now),
                f"BC-{i:04d}",
                rng.choice(COURSE_KINDS),
                "Tập huấn",
                "Sở Y tế",
                start,
                start + timedelta(days=3),
                None,
                "31",
            )
        )
        for worker in rng.sample(workers, rng.randint(20, 300)):
            done = rng.random() < 0.8
            participations.append(
                (
                    uuid.uuid4(),
                    *_tracked(now),
                    course_id,
                    worker[0],
                    done,
                    start + timedelta(days=3) if done else None,
                    None,
                )
            )
    return courses, participations


async def seed(
    url: str, workers: int = 10_000, facilities: int = 2_000, seed_value: int = 11
) -> dict[str, Any]:
    rng, now = random.Random(seed_value), datetime.now(UTC)
    facility_rows = _facilities(rng, facilities, now)
    worker_rows, assignment_rows, allowance_rows = _people(rng, workers, facility_rows, now)
    course_rows, participation_rows = _training(rng, worker_rows, now)
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.copy_records_to_table(
            "facility",
            records=facility_rows,
            columns=[
                "id",
                *TRACKED,
                "code",
                "name",
                "name_key",
                "kind",
                "sector",
                "ownership",
                "in_sector",
                "in_network_plan",
                "provides_services",
                "services",
                "wage_region_override",
                "province_code",
                "ward_code",
                "address_line",
                "active_from",
                "active_to",
            ],
        )
        await connection.copy_records_to_table(
            "worker",
            records=worker_rows,
            columns=[
                "id",
                *TRACKED,
                "full_name",
                "name_key",
                "sex",
                "birth_date",
                "national_id",
                "phone",
                "email",
                "qualification",
                "professional_title",
                "status",
                "province_code",
            ],
        )
        await connection.copy_records_to_table(
            "assignment",
            records=assignment_rows,
            columns=[
                "id",
                *TRACKED,
                "worker_id",
                "facility_id",
                "position_kind",
                "is_ctxh",
                "title",
                "start_date",
                "end_date",
            ],
        )
        await connection.copy_records_to_table(
            "allowance_period",
            records=allowance_rows,
            columns=["id", "assignment_id", "amount_vnd", "start_date", "end_date", "created_by"],
        )
        await connection.copy_records_to_table(
            "course",
            records=course_rows,
            columns=[
                "id",
                *TRACKED,
                "code",
                "kind",
                "topic",
                "organiser",
                "start_date",
                "end_date",
                "funding_source",
                "province_code",
            ],
        )
        await connection.copy_records_to_table(
            "participation",
            records=participation_rows,
            columns=[
                "id",
                *TRACKED,
                "course_id",
                "worker_id",
                "completed",
                "completed_on",
                "certificate_no",
            ],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return {
        "facilities": len(facility_rows),
        "workers": len(worker_rows),
        "assignments": len(assignment_rows),
        "participations": len(participation_rows),
    }
