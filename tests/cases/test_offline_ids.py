"""Records made offline keep the ids their app chose, so a case can name a person that
reached the server only a moment before it."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import uuid_utils

from tests.cases.factories import person_payload


def uuid7_at(when: datetime) -> str:
    """A UUIDv7 carrying `when`, as a phone with that clock would make it."""
    milliseconds = int(when.timestamp() * 1000)
    value = uuid.UUID(str(uuid_utils.uuid7())).int
    value = (value & ((1 << 80) - 1)) | (milliseconds << 80)
    return str(uuid.UUID(int=value))


async def test_a_person_and_a_case_made_offline_keep_their_ids(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    person_id, case_id = str(uuid_utils.uuid7()), str(uuid_utils.uuid7())
    person = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(id=person_id),
        headers=officer_hp,
        params={"allow_duplicate": "true"},
    )
    assert person.status_code == 201, person.text
    assert person.json()["id"] == person_id
    case = await cases_client.post(
        "/api/v1/cases",
        json={"id": case_id, "person_id": person_id, "intake_source": "community"},
        headers=officer_hp,
    )
    assert case.status_code == 201, case.text
    assert case.json()["id"] == case_id
    read = await cases_client.get(f"/api/v1/cases/{case_id}", headers=officer_hp)
    assert read.status_code == 200
    assert read.json()["person"]["id"] == person_id


async def test_an_id_already_taken_is_refused_and_the_record_left_alone(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    taken = str(uuid_utils.uuid7())
    first = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(id=taken, full_name="Lò Văn Páo"),
        headers=officer_hp,
        params={"allow_duplicate": "true"},
    )
    assert first.status_code == 201, first.text
    second = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(id=taken, full_name="Hà Thị Mỷ"),
        headers=officer_hp,
        params={"allow_duplicate": "true"},
    )
    assert second.status_code == 409
    assert second.json()["code"] == "id_taken"
    kept = await cases_client.get(f"/api/v1/persons/{taken}", headers=officer_hp)
    assert kept.json()["full_name"] == "Lò Văn Páo"

    person_id = first.json()["id"]
    case = {"id": taken, "person_id": person_id, "intake_source": "community"}
    clash = await cases_client.post("/api/v1/cases", json=case, headers=officer_hp)
    assert clash.status_code == 201, "ids are per kind of record"
    again = await cases_client.post("/api/v1/cases", json=case, headers=officer_hp)
    assert again.status_code == 409
    assert again.json()["code"] == "id_taken"


async def test_an_id_that_is_not_a_uuid7_from_a_plausible_clock_is_refused(
    cases_client: httpx.AsyncClient, officer_hp: dict
) -> None:
    for wrong in (
        str(uuid.uuid4()),
        uuid7_at(datetime.now(UTC) + timedelta(days=30)),
        "ffffffff-ffff-7fff-bfff-ffffffffffff",  # the latest time a UUIDv7 can carry
    ):
        answer = await cases_client.post(
            "/api/v1/persons",
            json=person_payload(id=wrong),
            headers=officer_hp,
            params={"allow_duplicate": "true"},
        )
        assert answer.status_code == 422, (wrong, answer.text)
        assert answer.json()["errors"][0]["loc"] == ["body", "id"]
    yesterday = uuid7_at(datetime.now(UTC) - timedelta(days=1))
    made_offline = await cases_client.post(
        "/api/v1/persons",
        json=person_payload(id=yesterday),
        headers=officer_hp,
        params={"allow_duplicate": "true"},
    )
    assert made_offline.status_code == 201, made_offline.text
