"""The hot reads keep one compiled statement per kind of caller, not one per user."""

import uuid

import httpx

from services.cases.case import service as cases
from services.cases.person import service as people
from shared.auth import Role
from tests.cases.factories import WARD_A, create_case, create_person
from tests.conftest import TokenFactory


async def test_many_users_of_one_kind_share_one_statement_and_see_only_their_own(
    cases_client: httpx.AsyncClient, officer_hp: dict, token: TokenFactory
) -> None:
    before = (len(people._logged_person_read), len(cases._logged_case_read))
    person = await create_person(cases_client, officer_hp)
    case = await create_case(cases_client, officer_hp, person["id"])
    wards = [WARD_A] + [f"{n:05d}" for n in range(1, 100)]  # one real ward, then others
    for ward in wards:
        worker = token(Role.COMMUNE_WORKER, subject=str(uuid.uuid4()), commune_code=ward)
        seen = await cases_client.get(f"/api/v1/persons/{person['id']}", headers=worker)
        assert seen.status_code == (200 if ward == WARD_A else 404), ward
        seen = await cases_client.get(f"/api/v1/cases/{case['id']}", headers=worker)
        assert seen.status_code == (200 if ward == WARD_A else 404), ward
    after = (len(people._logged_person_read), len(cases._logged_case_read))
    # The officer's kind, and the commune workers' kind: a hundred users, one statement.
    assert after[0] - before[0] <= 2
    assert after[1] - before[1] <= 2
