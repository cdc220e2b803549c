"""The case lifecycle: only allowed moves, with what each needs on file."""

import httpx

from shared.dates import today_in_vietnam
from tests.cases.factories import assessment, create_case, create_person, move, post_ok


async def _case(client: httpx.AsyncClient, headers: dict) -> dict:
    person = await create_person(client, headers)
    return await create_case(client, headers, person["id"])


async def test_new_case_starts_at_intake_with_a_case_number(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    assert case["stage"] == "intake"
    assert case["status"] == "active"
    assert case["case_number"] == f"31-{today_in_vietnam().year}-000001"
    second = await _case(cases_client, officer_hp)
    assert second["case_number"].endswith("000002")


async def test_illegal_move_is_409_naming_the_allowed_ones(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    response = await move(cases_client, officer_hp, case, "implementation")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["allowed"] == ["assessment", "closed"]


async def test_full_path_needs_assessments_and_an_approved_plan(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    base = f"/api/v1/cases/{case['id']}"
    blocked = await move(cases_client, officer_hp, case, "assessment")
    assert blocked.status_code == 409
    assert blocked.json()["missing"] == "initial_risk_assessment"
    await post_ok(cases_client, f"{base}/assessments", officer_hp, assessment("initial_risk"))
    assert (await move(cases_client, officer_hp, case, "assessment")).status_code == 200
    await post_ok(cases_client, f"{base}/assessments", officer_hp, assessment("detailed_needs"))
    assert (await move(cases_client, officer_hp, case, "planning")).status_code == 200
    plan = await post_ok(
        cases_client,
        f"{base}/plans",
        officer_hp,
        {
            "drafted_on": today_in_vietnam().isoformat(),
            "goals": [{"description": "Cháu được đi học trở lại"}],
            "planned_services": [{"service_type": "education_support"}],
        },
    )
    unapproved = await move(cases_client, officer_hp, case, "implementation")
    assert unapproved.status_code == 409
    assert unapproved.json()["missing"] == "approved_plan"
    await post_ok(
        cases_client,
        f"{base}/plans/{plan['id']}/approval",
        officer_hp,
        {
            "approved_by": "Nguyễn Văn A",
            "approver_title": "Chủ tịch UBND phường",
            "approved_on": today_in_vietnam().isoformat(),
        },
    )
    moved = await move(cases_client, officer_hp, case, "implementation")
    assert moved.status_code == 200
    assert moved.json()["stage"] == "implementation"
    assert (await move(cases_client, officer_hp, case, "review")).status_code == 200


async def test_closing_needs_a_reason_and_reopening_returns_to_assessment(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    no_reason = await move(cases_client, officer_hp, case, "closed")
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "closure_reason"]
    closed = await move(cases_client, officer_hp, case, "closed", closure_reason="moved_away")
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_date"] == today_in_vietnam().isoformat()
    to_planning = await move(cases_client, officer_hp, case, "planning", reason="x")
    assert to_planning.status_code == 409
    no_why = await move(cases_client, officer_hp, case, "assessment")
    assert no_why.status_code == 422
    reopened = await move(cases_client, officer_hp, case, "assessment", reason="gia đình quay lại")
    assert reopened.status_code == 200
    assert reopened.json()["stage"] == "assessment"
    assert reopened.json()["status"] == "active"
    assert reopened.json()["closure_reason"] is None


async def test_transition_with_stale_etag_is_412(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    response = await cases_client.post(
        f"/api/v1/cases/{case['id']}/transitions",
        json={"to_stage": "closed", "closure_reason": "other"},
        headers={**officer_hp, "If-Match": '"7"'},
    )
    assert response.status_code == 412


async def test_history_records_each_step_with_who(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    case = await _case(cases_client, officer_hp)
    await move(cases_client, officer_hp, case, "closed", closure_reason="goals_met")
    await move(cases_client, officer_hp, case, "assessment", reason="tái phát")
    history = (
        await cases_client.get(f"/api/v1/cases/{case['id']}/history", headers=officer_hp)
    ).json()["items"]
    assert [e["action"] for e in history] == ["opened", "stage_changed", "reopened"]
    assert history[1]["changes"]["stage"] == ["intake", "closed"]
    assert history[2]["changes"]["reason"] == "tái phát"
    assert {e["actor"] for e in history} == {"dev-province_officer"}
    assert history[0]["actor_roles"] == ["province_officer"]


async def test_patch_cannot_close_a_case(cases_client: httpx.AsyncClient, officer_hp: dict) -> None:
    case = await _case(cases_client, officer_hp)
    response = await cases_client.patch(
        f"/api/v1/cases/{case['id']}",
        json={"status": "closed"},
        headers={**officer_hp, "If-Match": '"1"'},
    )
    assert response.status_code == 409
