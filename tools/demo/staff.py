"""CTXH workers, their positions and allowances over time.

Allowances are set against the wage rates in force (base wage, regional minimum) with
factors just below, at and above 1, so the registry's "allowance at least the base / minimum
wage" comes out true for some facilities and false for others, and a few allowances follow
the 2024 and 2026 wage rises while others lag behind.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.text import search_key
from tools.demo.common import (
    national_id,
    phone,
    random_date,
    round_vnd,
    weighted,
)
from tools.demo.facilities import FacilitySpec
from tools.demo.names import full_name

WORKERS = 150
SECOND_JOBS = 1 / 12  # the share of workers who also hold a position at a second facility
BASE_WAGE = (
    (date(2019, 7, 1), 1_490_000),
    (date(2023, 7, 1), 1_800_000),
    (date(2024, 7, 1), 2_340_000),
)
REGIONAL_MINIMUM = {
    date(2020, 1, 1): (4_420_000, 3_920_000, 3_430_000, 3_070_000),
    date(2022, 7, 1): (4_680_000, 4_160_000, 3_640_000, 3_250_000),
    date(2024, 7, 1): (4_960_000, 4_410_000, 3_860_000, 3_450_000),
    date(2026, 1, 1): (5_310_000, 4_730_000, 4_140_000, 3_700_000),
}
FIRST_START, LAST_START = date(2021, 1, 4), date(2025, 12, 15)

# kind → (fewest, most positions, {position kind: weight})
POSITIONS: dict[str, tuple[int, int, dict[str, float]]] = {
    "social_assistance": (5, 9, {"full_time": 7, "part_time": 1, "collaborator": 2}),
    "drug_rehab": (2, 4, {"full_time": 3, "part_time": 2}),
    "health_facility": (1, 3, {"full_time": 2, "part_time": 3}),
    "commune_committee": (1, 4, {"part_time": 4, "collaborator": 4, "volunteer": 2}),
    "school": (0, 2, {"part_time": 3, "collaborator": 1}),
    "mass_organisation": (0, 3, {"part_time": 2, "collaborator": 2, "volunteer": 3}),
    "prison": (0, 2, {"part_time": 1}),
    "reformatory_school": (1, 2, {"full_time": 1, "part_time": 1}),
    "judicial_body": (0, 1, {"part_time": 1}),
    "other": (0, 2, {"full_time": 1, "collaborator": 1, "volunteer": 1}),
}
TITLES = {
    "full_time": ["Chuyên viên công tác xã hội", "Nhân viên công tác xã hội", "Trưởng phòng CTXH"],
    "part_time": ["Cán bộ kiêm nhiệm công tác xã hội"],
    "collaborator": ["Cộng tác viên CTXH thôn, tổ dân phố", "Cộng tác viên bảo vệ trẻ em"],
    "volunteer": ["Tình nguyện viên"],
}
PART_TIME_TITLES = {
    "school": "Giáo viên kiêm tư vấn tâm lý học đường",
    "commune_committee": "Công chức Văn hóa - Xã hội",
    "health_facility": "Điều dưỡng kiêm nhiệm công tác xã hội",
}
QUALIFICATIONS: dict[str, dict[str, float]] = {
    "full_time": {"university": 6, "master": 1.5, "college": 1.5, "intermediate": 0.5},
    "part_time": {"university": 4, "college": 2, "intermediate": 1, "none": 3},
    "collaborator": {"none": 5, "intermediate": 2, "college": 1, "university": 1},
    "volunteer": {"none": 6, "university": 2, "college": 1},
}


@dataclass(slots=True)
class AssignmentSpec:
    facility: int
    payload: dict[str, Any]
    allowance_changes: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None


@dataclass(slots=True)
class WorkerSpec:
    index: int
    payload: dict[str, Any]
    assignments: list[AssignmentSpec]


def base_wage(on: date) -> int:
    return [amount for since, amount in BASE_WAGE if since <= on][-1]


def regional_minimum(region: int, on: date) -> int:
    return [rates[region - 1] for since, rates in REGIONAL_MINIMUM.items() if since <= on][-1]


def _allowance_rule(rng: random.Random, kind: str) -> tuple[str, float] | None:
    """What the allowance is pegged to and by how much; None when unpaid."""
    if kind == "full_time":
        return "minimum", rng.choice([0.9, 0.97, 1.0, 1.0, 1.08, 1.25, 1.5])
    if kind == "part_time":
        return "base", rng.choice([0.3, 0.5, 0.7, 0.95, 1.0, 1.2])
    if kind == "collaborator" and rng.random() < 0.6:
        return "base", rng.choice([0.2, 0.3, 0.5, 1.0])
    return None


def _amount(rule: tuple[str, float], region: int, on: date) -> int:
    peg, factor = rule
    wage = regional_minimum(region, on) if peg == "minimum" else base_wage(on)
    return round_vnd(wage * factor)


def _allowance_changes(
    rng: random.Random, rule: tuple[str, float], region: int, start: date, last: date
) -> list[dict[str, Any]]:
    """At most one raise: to the latest wage rise after the start, and only sometimes."""
    rises = [d for d, _ in BASE_WAGE] if rule[0] == "base" else list(REGIONAL_MINIMUM)
    later = [d for d in rises if start < d <= last]
    if not later or rng.random() > 0.25:
        return []
    on = later[-1]
    return [{"amount_vnd": _amount(rule, region, on), "start_date": on.isoformat()}]


def _title(rng: random.Random, kind: str, facility_kind: str) -> str:
    if kind == "part_time" and facility_kind in PART_TIME_TITLES:
        return PART_TIME_TITLES[facility_kind]
    return rng.choice(TITLES[kind])


def assignment_spec(
    rng: random.Random, facility: FacilitySpec, kind: str, today: date
) -> AssignmentSpec:
    start = random_date(rng, FIRST_START, min(LAST_START, today))
    end = None
    if rng.random() < 0.08 and start + timedelta(days=240) < today - timedelta(days=30):
        end = random_date(rng, start + timedelta(days=240), today - timedelta(days=30))
    rule = _allowance_rule(rng, kind)
    region = facility.region
    payload = {
        "facility_id": None,
        "position_kind": kind,
        "is_ctxh": True,
        "title": _title(rng, kind, facility.kind),
        "start_date": start.isoformat(),
        "monthly_allowance_vnd": _amount(rule, region, start) if rule else None,
    }
    changes = _allowance_changes(rng, rule, region, start, end or today) if rule else []
    return AssignmentSpec(
        facility.index, payload, changes, {"end_date": end.isoformat()} if end else None
    )


def _position_kinds(
    rng: random.Random, facilities: list[FacilitySpec], wanted: int
) -> list[tuple[int, str]]:
    """`wanted` positions, shuffled: what the facilities have (most 0–3), topped up with
    commune collaborators when too few, cut at random when too many."""
    slots = []
    for facility in facilities:
        fewest, most, kinds = POSITIONS[facility.kind]
        slots += [(facility.index, weighted(rng, kinds)) for _ in range(rng.randint(fewest, most))]
    communes = [f.index for f in facilities if f.kind == "commune_committee"]
    while len(slots) < wanted:
        slots.append((rng.choice(communes), "collaborator"))
    rng.shuffle(slots)
    return slots[:wanted]


def _professional_title(rng: random.Random, kind: str, qualification: str) -> str | None:
    if kind != "full_time" or qualification in ("none", "intermediate"):
        return None
    return weighted(rng, {"grade_iii": 6, "grade_iv": 2, "grade_ii": 1.5, "grade_i": 0.2})


def worker_payload(rng: random.Random, kind: str, serial: int) -> dict[str, Any]:
    sex = "female" if rng.random() < 0.65 else "male"
    young = kind == "volunteer"
    birth = random_date(
        rng, date(1994 if young else 1966, 1, 1), date(2003 if young else 2000, 12, 31)
    )
    name = full_name(rng, sex, birth.year)
    qualification = weighted(rng, QUALIFICATIONS[kind])
    payload = {
        "full_name": name,
        "sex": sex,
        "birth_date": birth.isoformat(),
        "national_id": national_id("031", sex, birth, serial),
        "phone": phone(rng),
        "qualification": qualification,
        "professional_title": _professional_title(rng, kind, qualification),
    }
    if rng.random() < 0.4:
        given = search_key(name).split()
        payload["email"] = f"{given[-1]}.{''.join(given[:-1])}{serial % 1000}@gmail.com"
    return payload


def worker_specs(
    rng: random.Random, facilities: list[FacilitySpec], today: date, count: int = WORKERS
) -> list[WorkerSpec]:
    """Every worker holds one position; the remaining ones go to workers as second jobs at
    another facility (never two overlapping positions at the same one)."""
    slots = _position_kinds(rng, facilities, count + round(count * SECOND_JOBS))
    serials = rng.sample(range(1, 1_000_000), count)
    workers = []
    for index, (facility, kind) in enumerate(slots[:count]):
        assignment = assignment_spec(rng, facilities[facility], kind, today)
        payload = worker_payload(rng, kind, serials[index])
        workers.append(WorkerSpec(index, payload, [assignment]))
    for facility, kind in slots[count:]:
        held = [w for w in workers if all(a.facility != facility for a in w.assignments)]
        rng.choice(held).assignments.append(assignment_spec(rng, facilities[facility], kind, today))
    return workers
