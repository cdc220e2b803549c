"""`ctxh demo`: a demo province in all three services, loaded through their APIs only."""

import asyncio
import time

import httpx

from services.reporting.plan.service import seed_plans
from shared.auth.principal import SENSITIVE_READ, Role
from shared.auth.tokens import issue_dev_token
from shared.settings import ServiceSettings
from tools.demo.province import describe, load_demo_province

# Figures a department would enter by hand: the 2020 baseline of target #4 and 2025 activities.
MANUAL_VALUES = [
    (
        "people_supported",
        "2020",
        230,
        None,
        "Số người được tư vấn, hỗ trợ năm 2020 (báo cáo tổng kết)",
    ),
    ("communication_events", "2025", 18, 2400, "Hội nghị, buổi truyền thông tại xã, phường"),
    ("materials_distributed", "2025", 5200, None, "Tờ rơi, sổ tay"),
    ("workshops", "2025", 3, 210, "Hội thảo chuyên đề"),
    ("contests", "2025", 1, 85, "Hội thi tìm hiểu pháp luật về CTXH"),
]


async def _wait_ready(urls: dict[str, str], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        for url in urls.values():
            while True:
                try:
                    if (await client.get(f"{url}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not become ready")
                await asyncio.sleep(0.5)


async def _plans_and_reports(url: str, admin: str, officer: str) -> None:
    async with httpx.AsyncClient(base_url=f"{url}/api/v1", timeout=120) as client:
        codes = {}
        for plan in seed_plans():
            response = await client.post(
                "/plans",
                json=plan.model_dump(mode="json"),
                headers={"Authorization": f"Bearer {admin}"},
            )
            if response.status_code not in (201, 409):
                response.raise_for_status()
        for plan in (
            await client.get("/plans", headers={"Authorization": f"Bearer {admin}"})
        ).json()["items"]:
            codes[plan["code"]] = plan["id"]
        auth = {"Authorization": f"Bearer {officer}"}
        for metric, period, value, participants, note in MANUAL_VALUES:
            await client.put(
                "/manual-values",
                headers=auth,
                json={
                    "territory_scheme": "legacy",
                    "territory_code": "30",
                    "metric": metric,
                    "period_id": period,
                    "value": value,
                    "participants": participants,
                    "note": note,
                },
            )
        for period in ("2025S1", "2025"):
            response = await client.post(
                "/reports", headers=auth, json={"plan_id": codes["HD-2025"], "period": period}
            )
            if response.status_code not in (201, 409):
                response.raise_for_status()


async def run_demo(
    urls: dict[str, str], settings: ServiceSettings, *, people: int = 2000, wait: bool = False
) -> None:
    if wait:
        await _wait_ready(urls)
    officer = issue_dev_token(
        settings,
        roles=[Role.PROVINCE_OFFICER],
        province_code="31",
        scopes=[SENSITIVE_READ],
        subject="demo-officer",
        name="Cán bộ Sở Y tế",
    )
    admin = issue_dev_token(settings, roles=[Role.ADMIN], subject="demo-admin")
    say("loading the demo province (Hải Phòng, with the former Hải Dương)")
    summary = await load_demo_province(
        urls["cases"], urls["workforce"], officer, people=people, progress=say
    )
    say("plans, manual figures and the draft reports of HD-2025 (2025S1, 2025)")
    await _plans_and_reports(urls["reporting"], admin, officer)
    say(f"loaded: {describe(summary)}")


def say(line: str) -> None:
    """One line of the demo's progress, shown as it happens."""
    print(f"demo: {line}", flush=True)
