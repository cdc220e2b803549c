"""The records every access check is made against: one of each kind, owned by Hải Phòng (31),
ward 10525 and one facility, holding sensitive values no one may see without the scope."""

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from shared.auth import Role
from tests.conftest import TokenFactory

PROVINCE, OTHER_PROVINCE = "31", "52"
WARD, OTHER_WARD = "10525", "21583"  # in 31 (the former Hải Dương) and in 52
PURPOSE = {"X-Access-Purpose": quote("kiểm tra quyền truy cập")}

# Strings only a reader with sensitive:read and a purpose may ever receive.
SENSITIVE_MARKERS = (
    "MARKER-HEALTH",
    "MARKER-ETHNIC",
    "MARKER-FINDINGS",
    "MARKER-NOTE",
    "child_with_hiv",
)
# What identifies the target person and worker: never in an answer to another unit.
TARGET_NAME = "Đích Thị Mẫu"
TARGET_NATIONAL_ID = "031099000777"
WORKER_NAME = "Cán Bộ Đích"


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.ids[key]


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def build(
    clients: dict[str, httpx.AsyncClient], token: TokenFactory, plans: dict[str, str]
) -> World:
    world = World()
    officer = {**token(Role.PROVINCE_OFFICER, province_code=PROVINCE, scopes=["sensitive:read"])}
    officer.update(PURPOSE)
    await _workforce(clients["workforce"], officer, world)
    await _cases(clients["cases"], officer, world)
    await _reporting(clients["reporting"], officer, token, plans, world)
    return world


async def _workforce(client: httpx.AsyncClient, officer: dict, world: World) -> None:
    facility = await _ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "code": "F-MATRIX",
                "name": "Trung tâm CTXH Hải Dương",
                "kind": "social_assistance",
                "sector": "social",
                "in_sector": True,
                "provides_services": True,
                "ward_code": WARD,
            },
            headers=officer,
        )
    )
    referred = await _ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "code": "F-MATRIX-2",
                "name": "Bệnh viện đa khoa",
                "kind": "health_facility",
                "sector": "health",
                "ward_code": WARD,
            },
            headers=officer,
        )
    )
    worker = await _ok(
        await client.post(
            "/api/v1/workers",
            json={"full_name": WORKER_NAME, "sex": "female", "national_id": "031190000777"},
            headers=officer,
        )
    )
    assignment = await _ok(
        await client.post(
            f"/api/v1/workers/{worker['id']}/assignments",
            json={
                "facility_id": facility["id"],
                "position_kind": "full_time",
                "start_date": "2024-01-01",
                "monthly_allowance_vnd": 5_000_000,
            },
            headers=officer,
        )
    )
    course = await _ok(
        await client.post(
            "/api/v1/courses",
            json={
                "kind": "short_skills",
                "topic": "Kỹ năng tư vấn",
                "organiser": "Sở Y tế",
                "start_date": "2025-03-01",
                "end_date": "2025-03-05",
            },
            headers=officer,
        )
    )
    participation = await _ok(
        await client.post(
            f"/api/v1/courses/{course['id']}/participations",
            json={"worker_id": worker["id"], "completed": True, "completed_on": "2025-03-05"},
            headers=officer,
        )
    )
    world.ids.update(
        facility=facility["id"],
        referred_facility=referred["id"],
        worker=worker["id"],
        assignment=assignment["id"],
        course=course["id"],
        participation=participation["id"],
    )


async def _cases(client: httpx.AsyncClient, officer: dict, world: World) -> None:
    person = await _ok(
        await client.post(
            "/api/v1/persons",
            json={
                "full_name": TARGET_NAME,
                "sex": "female",
                "birth_date": "2016-05-01",
                "national_id": TARGET_NATIONAL_ID,
                "ward_code": WARD,
                "categories": ["child_with_hiv", "orphan_without_support"],
                "hiv_status": "positive",
                "health_notes": "MARKER-HEALTH điều trị ARV",
                "ethnicity": "MARKER-ETHNIC",
            },
            headers=officer,
        )
    )
    case = await _ok(
        await client.post(
            "/api/v1/cases",
            json={
                "person_id": person["id"],
                "intake_source": "community",
                "opened_date": "2024-06-01",
                "managing_facility_id": world["facility"],
                "assigned_worker_id": world["worker"],
            },
            headers=officer,
        )
    )
    base = f"/api/v1/cases/{case['id']}"
    await _ok(
        await client.post(
            f"{base}/assessments",
            json={
                "kind": "initial_risk",
                "assessed_on": "2024-06-02",
                "risk_level": "high",
                "summary": "Cháu sống cùng bà",
                "findings": "MARKER-FINDINGS",
            },
            headers=officer,
        )
    )
    plan = await _ok(
        await client.post(
            f"{base}/plans",
            json={"drafted_on": "2024-06-03", "goals": [{"description": "Đi học đều"}]},
            headers=officer,
        )
    )
    await _ok(
        await client.post(
            f"{base}/services",
            json={
                "service_type": "counselling",
                "funding_source": "socialised",
                "delivered_on": "2025-03-01",
            },
            headers=officer,
        )
    )
    follow_up = await _ok(
        await client.post(
            f"{base}/follow-ups",
            json={"start_date": "2024-06-03", "due_date": "2024-07-01"},
            headers=officer,
        )
    )
    await _ok(
        await client.post(
            f"{base}/notes",
            json={"body": "MARKER-NOTE bị bạo hành", "sensitive": True},
            headers=officer,
        )
    )
    consent = await _ok(
        await client.post(
            f"{base}/consents",
            json={"purpose": "sharing", "given_by": "both", "given_on": "2024-06-02"},
            headers=officer,
        )
    )
    referral = await _ok(
        await client.post(
            f"{base}/referrals",
            json={
                "to_facility_id": world["referred_facility"],
                "reason": "Cần tư vấn tâm lý",
                "consent_confirmed": True,
            },
            headers=officer,
        )
    )
    moving = await _ok(
        await client.post(
            "/api/v1/persons",
            json={"full_name": "Người Chuyển Đi", "sex": "male", "ward_code": WARD},
            headers=officer,
        )
    )
    transfer = await _ok(
        await client.post(
            f"/api/v1/persons/{moving['id']}/transfers",
            json={"ward_code": OTHER_WARD, "reason": "Chuyển nơi ở"},
            headers=officer,
        )
    )
    twins = [
        await _ok(
            await client.post(
                "/api/v1/persons",
                json={"full_name": f"Người Trùng {n}", "sex": "male", "ward_code": WARD},
                headers=officer,
            )
        )
        for n in range(4)
    ]
    merge = await _ok(
        await client.post(
            "/api/v1/person-merges",
            json={"survivor_id": twins[2]["id"], "merged_id": twins[3]["id"]},
            headers=officer,
        )
    )
    world.ids.update(
        twin=twins[0]["id"],
        other_twin=twins[1]["id"],
        merge=merge["id"],
    )
    world.ids.update(
        person=person["id"],
        case=case["id"],
        case_number=case["case_number"],
        case_plan=plan["id"],
        follow_up=follow_up["id"],
        consent=consent["id"],
        referral=referral["id"],
        transfer=transfer["id"],
        moving=moving["id"],
        duplicate=await _duplicate(client, officer),
    )


async def _duplicate(client: httpx.AsyncClient, officer: dict) -> str:
    """A second record of the target, made by another hand, and the pair the scan finds."""
    await _ok(
        await client.post(
            "/api/v1/persons",
            params={"allow_duplicate": "true"},
            json={
                "full_name": "DICH  THI MAU",
                "sex": "female",
                "birth_date": "2016-01-05",
                "ward_code": WARD,
            },
            headers=officer,
        )
    )
    await _ok(await client.post("/api/v1/duplicates/scan", headers=officer))
    queue = await _ok(await client.get("/api/v1/duplicates", headers=officer))
    found: str = queue["items"][0]["id"]
    return found


async def _reporting(
    client: httpx.AsyncClient,
    officer: dict,
    token: TokenFactory,
    plans: dict[str, str],
    world: World,
) -> None:
    hai_duong = plans["HD-2025"]
    submitted = await _ok(
        await client.post(
            "/api/v1/reports", json={"plan_id": hai_duong, "period": "2025S1"}, headers=officer
        )
    )
    await _ok(
        await client.post(
            f"/api/v1/reports/{submitted['id']}/submission",
            headers={**officer, "If-Match": f'"{submitted["version"]}"'},
        )
    )
    draft = await _ok(
        await client.post(
            "/api/v1/reports", json={"plan_id": hai_duong, "period": "2025"}, headers=officer
        )
    )
    agency = await _ok(
        await client.post(
            "/api/v1/agencies",
            json={"code": "HLHPN", "name_vi": "Hội Liên hiệp Phụ nữ", "kind": "mass_organisation"},
            headers=officer,
        )
    )
    contribution = await _ok(
        await client.post(
            "/api/v1/contributions",
            json={
                "plan_id": hai_duong,
                "period": "2025",
                "agency_id": agency["id"],
                "due_date": "2025-11-20",
            },
            headers=officer,
        )
    )
    world.ids.update(
        agency=agency["id"],
        contribution=contribution["id"],
        plan=hai_duong,
        national_plan=plans["QD112-2021-2030"],
        report=draft["id"],
        submitted=submitted["id"],
        unique=uuid.uuid4().hex[:6],
    )
