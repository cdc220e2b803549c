"""Seed a cases database with a province's worth of people and cases, fast (COPY)."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from shared.admin_units import units_2025
from shared.dates import today_in_vietnam
from shared.text import search_key

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Mai",
    "Trịnh",
    "Lương",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Hữu",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Quốc",
    "Xuân",
    "Thu",
    "Gia",
    "Bảo",
    "Anh",
    "Kim",
    "Thế",
]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quang",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tú",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Đạt",
    "Ánh",
    "Tuyết",
]
CHILD_CATEGORIES = [
    "orphan_without_support",
    "abandoned_child",
    "child_toxic_chemical_victim",
    "child_severe_disability",
    "child_disaster_affected",
    "child_lost_parental_care",
    "child_other_disability",
    "child_labour",
    "child_street",
]
ADULT_CATEGORIES = [
    "older_person",
    "person_with_disability",
    "poor_household",
    "near_poor_household",
    "single_parent_poor",
    "social_assistance_beneficiary",
]
STAGES = ["intake", "assessment", "planning", "implementation", "review", "closed"]
SERVICES = [
    "counselling",
    "psychosocial_support",
    "health_care",
    "education_support",
    "cash_assistance",
    "in_kind_assistance",
    "livelihood_support",
]
FUNDING = ["state_budget", "socialised", "international", "family"]

PERSON_COLUMNS = [
    "id",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "archived_at",
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "national_id",
    "birth_registration_no",
    "phone",
    "province_code",
    "ward_code",
    "address_line",
    "caregivers",
    "disability_type",
    "disability_severity",
    "ethnicity",
    "hiv_status",
    "health_notes",
    "drug_use",
    "criminal_record",
    "registered_by_facility_id",
    "change_seq",
]
CASE_COLUMNS = [
    "id",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "archived_at",
    "case_number",
    "person_id",
    "province_code",
    "ward_code",
    "managing_facility_id",
    "assigned_worker_id",
    "registered_by_facility_id",
    "risk_level",
    "intake_source",
    "stage",
    "status",
    "opened_date",
    "closed_date",
    "closure_reason",
    "closure_note",
    "next_review_date",
    "change_seq",
]


def _person(
    rng: random.Random, i: int, wards: list[str], today: date, now: datetime
) -> tuple[Any, ...]:
    sex = rng.choice(["male", "female"])
    middle = "Thị" if sex == "female" and rng.random() < 0.6 else rng.choice(MIDDLE)
    name = f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"
    child = rng.random() < 0.45
    age_days = rng.randint(0, 15 * 365) if child else rng.randint(18 * 365, 90 * 365)
    birth = today - timedelta(days=age_days)
    national_id = None if child else f"031{i:09d}"
    phone = f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.5 else None
    return (
        uuid.uuid4(),
        1,
        "seed",
        now,
        now,
        None,
        name,
        search_key(name),
        sex,
        birth,
        False,
        national_id,
        None,
        phone,
        "31",
        rng.choice(wards),
        None,
        "[]",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        i + 1,
    )


def _case(
    rng: random.Random, i: int, person: tuple[Any, ...], today: date, now: datetime
) -> tuple[Any, ...]:
    stage = rng.choice(STAGES)
    opened = today - timedelta(days=rng.randint(0, 3 * 365))
    closed = stage == "closed"
    review = opened + timedelta(days=rng.randint(30, 400))
    return (
        uuid.uuid4(),
        1,
        "seed",
        now,
        now,
        None,
        f"31-{opened.year}-{i:07d}",
        person[0],
        "31",
        person[15],
        None,
        None,
        None,
        rng.choice(["low", "medium", "high", "critical"]),
        "community",
        stage,
        "closed" if closed else "active",
        opened,
        opened + timedelta(days=90) if closed else None,
        "goals_met" if closed else None,
        None,
        None if closed else review,
        10_000_000 + i,
    )


async def seed(url: str, people: int = 200_000, seed_value: int = 7) -> dict[str, object]:
    """Fill an empty, migrated cases database; return a few known values to query for."""
    rng = random.Random(seed_value)
    wards = [w.code for w in units_2025().wards_of("31")]
    today, now = today_in_vietnam(), datetime.now(UTC)
    persons = [_person(rng, i, wards, today, now) for i in range(people)]
    cases = [_case(rng, i, p, today, now) for i, p in enumerate(persons)]
    categories = []
    for p in persons:
        adult = (today - p[9]).days >= 16 * 365
        pool = ADULT_CATEGORIES if adult else CHILD_CATEGORIES
        for code in rng.sample(pool, rng.choice([1, 1, 2])):
            categories.append((p[0], code))
    services = [
        (
            uuid.uuid4(),
            c[0],
            "seed",
            now,
            c[7],
            rng.choice(SERVICES),
            c[17] + timedelta(days=rng.randint(0, 60)),
            None,
            None,
            rng.choice(FUNDING),
            None,
            None,
        )
        for c in cases
        if c[15] not in ("intake", "assessment")
    ]
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.copy_records_to_table("person", records=persons, columns=PERSON_COLUMNS)
        await connection.copy_records_to_table(
            "person_category", records=categories, columns=["person_id", "category_code"]
        )
        await connection.copy_records_to_table("case_file", records=cases, columns=CASE_COLUMNS)
        await connection.copy_records_to_table(
            "service_delivery",
            records=services,
            columns=[
                "id",
                "case_id",
                "created_by",
                "created_at",
                "person_id",
                "service_type",
                "delivered_on",
                "provider_facility_id",
                "worker_id",
                "funding_source",
                "amount_vnd",
                "note",
            ],
        )
        await connection.execute("UPDATE change_counter SET value = 20000000 WHERE id = 1")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    sample = persons[people // 2]
    return {
        "person_id": str(sample[0]),
        "case_id": str(cases[people // 2][0]),
        "name": sample[6],
        "ward": sample[15],
        "national_id": next(p[11] for p in persons if p[11]),
        "people": people,
        "cases": len(cases),
        "services": len(services),
    }


REFERRAL_COLUMNS = [
    "id",
    "case_id",
    "created_by",
    "created_at",
    "to_facility_id",
    "reason",
    "services_requested",
    "consent_confirmed",
    "status",
    "version",
    "change_seq",
]


async def seed_caseloads(
    url: str, ward: str, workers: list[uuid.UUID], per_worker: int, seed_value: int = 11
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Into a seeded database: `per_worker` people of `ward`, each with a case assigned to
    each of `workers` and a referral on every other case, numbered above everything there,
    with the caseload entries the API writes on assignment. Returns each worker's cases."""
    rng = random.Random(seed_value)
    today, now = today_in_vietnam(), datetime.now(UTC)
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        seq: int = await connection.fetchval("SELECT value FROM change_counter WHERE id = 1")
        persons, cases, referrals, entries = [], [], [], []
        caseloads: dict[uuid.UUID, list[uuid.UUID]] = {}
        for w, worker in enumerate(workers):
            for n in range(per_worker):
                i = 1_000_000 + w * per_worker + n
                seq += 1
                person = (*_person(rng, i, [ward], today, now)[:-1], seq)
                seq += 1
                case = list(_case(rng, i, person, today, now))
                case[11], case[-1] = worker, seq  # assigned_worker_id, change_seq
                persons.append(person)
                cases.append(tuple(case))
                entries.append((worker, case[0], seq, True))
                caseloads.setdefault(worker, []).append(case[0])
                if n % 2:
                    seq += 1
                    referrals.append(
                        (uuid.uuid4(), case[0], "seed", now, uuid.uuid4(), "Cần hỗ trợ",
                         '["counselling"]', True, "pending", 1, seq)
                    )  # fmt: skip
        await connection.copy_records_to_table("person", records=persons, columns=PERSON_COLUMNS)
        await connection.copy_records_to_table("case_file", records=cases, columns=CASE_COLUMNS)
        await connection.copy_records_to_table(
            "referral", records=referrals, columns=REFERRAL_COLUMNS
        )
        await connection.copy_records_to_table(
            "caseload_change",
            records=entries,
            columns=["worker_id", "case_id", "change_seq", "entered"],
        )
        await connection.execute("UPDATE change_counter SET value = $1 WHERE id = 1", seq)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return caseloads
