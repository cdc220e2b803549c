"""A province's casework, end to end, through the Python clients generated from openapi/.

What a hospital or school system does: register a child, open a case, assess, plan and
approve, deliver a socialised service, consent and refer, the receiving facility accepts,
then the province drafts and submits its report and the ministry pulls it for DHIS2. Every
call goes through generated code against the three services running as real processes,
so a document that says something the server does not do breaks here.
"""

import importlib
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from shared.paths import PROJECT_ROOT
from tests.e2e.conftest import Stack, running_stack
from tools.cli import OPENAPI_DIR

pytestmark = [pytest.mark.e2e, pytest.mark.once]

WARD, PROVINCE = "10525", "31"


def _generate(service: str, into: Path) -> None:
    bin_dir = Path(sys.executable).parent
    command = [
        str(bin_dir / "openapi-python-client"), "generate",
        "--path", str(OPENAPI_DIR / f"{service}.json"),
        "--meta", "none",
        "--config", str(PROJECT_ROOT / "contract" / "python-client.yaml"),
        "--output-path", str(into / f"ctxh_{service}"),
        "--fail-on-warning",
    ]  # fmt: skip
    # The generator formats its output with the ruff it finds on PATH.
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    into = tmp_path_factory.mktemp("clients")
    for service in ("cases", "workforce", "reporting"):
        _generate(service, into)
    sys.path.insert(0, str(into))
    yield into
    sys.path.remove(str(into))


@pytest.fixture(scope="module")
async def stack(test_dir: Path) -> AsyncIterator[Stack]:
    async with running_stack(test_dir, "clients") as started:
        yield started


class Clients:
    """The generated packages, and an authenticated client per service and role."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.packages = {name: importlib.import_module(f"ctxh_{name}") for name in stack.urls}

    def client(self, service: str, *token_args: str) -> Any:
        token = self.stack.ctxh("token", *token_args)
        return self.packages[service].AuthenticatedClient(
            base_url=self.stack.url(service), token=token, raise_on_unexpected_status=True
        )

    def op(self, service: str, tag: str, operation: str) -> ModuleType:
        return importlib.import_module(f"ctxh_{service}.api.{tag}.{operation}")

    def model(self, service: str, name: str) -> Any:
        return getattr(importlib.import_module(f"ctxh_{service}.models"), name)


def _ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.content[:500]
    return answer.parsed


async def test_a_child_from_registration_to_the_ministry_pull(
    generated: Path, stack: Stack
) -> None:
    c = Clients(stack)
    officer = ("--role", "province_officer", "--province", PROVINCE)
    cases, workforce, reporting = (
        c.client(s, *officer) for s in ("cases", "workforce", "reporting")
    )

    facility = _ok(
        await c.op("workforce", "facilities", "create_facility").asyncio_detailed(
            client=workforce,
            body=c.model("workforce", "FacilityCreate").from_dict(
                {
                    "code": f"TT-{uuid.uuid4().hex[:6]}",
                    "name": "Trung tâm Công tác xã hội tỉnh",
                    "kind": "social_assistance",
                    "sector": "social",
                    "ward_code": WARD,
                }
            ),
        ),
        201,
    )
    category, sex = c.model("cases", "Category"), c.model("cases", "Sex")
    child = _ok(
        await c.op("cases", "persons", "create_person").asyncio_detailed(
            client=cases,
            body=c.model("cases", "PersonCreate").from_dict(
                {
                    "full_name": "Trần Thị Mai",
                    "sex": sex("female").value,
                    "birth_date": "2016-05-01",
                    "ward_code": WARD,
                    "categories": [category("abandoned_child").value],
                }
            ),
            idempotency_key=uuid.uuid4().hex,
        ),
        201,
    )
    case = _ok(
        await c.op("cases", "cases", "create_case").asyncio_detailed(
            client=cases,
            body=c.model("cases", "CaseCreate").from_dict(
                {
                    "person_id": str(child.id),
                    "intake_source": "community",
                    "opened_date": "2025-01-02",
                }
            ),
        ),
        201,
    )

    async def casework(operation: str, model: str, body: dict, **path: Any) -> Any:
        call = c.op("cases", "casework", operation).asyncio_detailed
        sent = c.model("cases", model).from_dict(body)
        return _ok(await call(case_id=case.id, client=cases, body=sent, **path), 201)

    await casework(
        "create_assessment",
        "AssessmentCreate",
        {"kind": "detailed_needs", "assessed_on": "2025-01-05", "risk_level": "medium",
         "summary": "Cần hỗ trợ học tập", "needs": ["education_support"]},
    )  # fmt: skip
    plan = await casework(
        "create_support_plan",
        "SupportPlanCreate",
        {"drafted_on": "2025-01-06", "goals": [{"description": "Đi học đều"}]},
    )
    approved = await c.op("cases", "casework", "approve_support_plan").asyncio_detailed(
        case_id=case.id,
        plan_id=plan.id,
        client=cases,
        body=c.model("cases", "SupportPlanApproval").from_dict(
            {"approved_by": "Nguyễn Văn A", "approver_title": "Chủ tịch UBND phường",
             "approved_on": "2025-01-07"}
        ),
    )  # fmt: skip
    _ok(approved)
    await casework(
        "create_service_delivery",
        "ServiceCreate",
        {"service_type": "education_support", "funding_source": "socialised",
         "delivered_on": "2025-03-01"},
    )  # fmt: skip
    await casework(
        "create_consent",
        "ConsentCreate",
        {"purpose": "sharing", "given_by": "both", "given_on": "2025-03-02"},
    )
    referral = _ok(
        await c.op("cases", "referrals", "create_referral").asyncio_detailed(
            case_id=case.id,
            client=cases,
            body=c.model("cases", "ReferralCreate").from_dict(
                {"to_facility_id": str(facility.id), "reason": "Hỗ trợ học tập",
                 "consent_confirmed": True}
            ),
        ),
        201,
    )  # fmt: skip

    receiving = c.client("cases", "--role", "facility_worker", "--province", PROVINCE,
                         "--facility", str(facility.id))  # fmt: skip
    read = await c.op("cases", "referrals", "get_referral").asyncio_detailed(
        referral_id=referral.id, client=receiving
    )
    _ok(read)
    accepted = _ok(
        await c.op("cases", "referrals", "step_referral").asyncio_detailed(
            referral_id=referral.id,
            client=receiving,
            body=c.model("cases", "ReferralStep").from_dict({"status": "accepted"}),
            if_match=read.headers["ETag"],
        )
    )
    assert accepted.status == "accepted"

    admin = c.client("reporting", "--role", "admin")
    code = f"HP-{uuid.uuid4().hex[:6]}"
    provincial_plan = _ok(
        await c.op("reporting", "plans", "create_plan").asyncio_detailed(
            client=admin,
            body=c.model("reporting", "PlanIn").from_dict(
                {"code": code, "name_vi": "Kế hoạch thử", "name_en": "Trial plan",
                 "level": "province", "territory": {"scheme": "2025", "code": PROVINCE},
                 "period_start": "2025-01-01", "period_end": "2025-12-31",
                 "targets": [{"indicator": "I05", "value": 50}, {"indicator": "I03A", "value": 50}]}
            ),
        ),
        201,
    )  # fmt: skip
    drafted = await c.op("reporting", "reports", "create_report").asyncio_detailed(
        client=reporting,
        body=c.model("reporting", "ReportCreate").from_dict(
            {"plan_id": str(provincial_plan.id), "period": "2025"}
        ),
    )
    report = _ok(drafted, 201)
    assert report.complete, report.missing_sources
    submitted = _ok(
        await c.op("reporting", "reports", "submit_report").asyncio_detailed(
            report_id=report.id, client=reporting, if_match=drafted.headers["ETag"]
        )
    )
    assert submitted.status == "submitted"

    ministry = c.client("reporting", "--role", "ministry")
    pulled = _ok(
        await c.op("reporting", "ministry", "get_data_value_set").asyncio_detailed(
            client=ministry, plan=code
        )
    )
    # I05 counts one child, withheld as a small count; I03A counts facilities, and is sent.
    values = pulled.to_dict()["dataValues"]
    assert values
    assert {value["attributeOptionCombo"] for value in values} == {code}
