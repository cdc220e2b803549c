"""Send the cases side of the demo: each person, then their case story step by step. Steps
of one case go in order (a stage needs its records first); cases go side by side."""

from collections.abc import Callable
from typing import Any

from tools.demo.casework import CaseSpec, Step
from tools.demo.client import Api, Ids, replayed, resolve, run_all
from tools.demo.people import PersonSpec

V1 = "/api/v1"
COLLECTIONS = {  # where a step's record is posted inside its case
    "assessment": "assessments",
    "service": "services",
    "consent": "consents",
    "referral": "referrals",
}


class CaseStory:
    """One case being sent: its id, and the ETag its stage moves need."""

    def __init__(self, api: Api, case_id: str, etag: str, key: str) -> None:
        self.api, self.case_id, self.etag, self.key = api, case_id, etag, key
        self.path = f"{V1}/cases/{case_id}"

    async def step(self, n: int, step: Step, ids: Ids) -> None:
        body, key = resolve(step.payload, ids), f"{self.key}-step-{n}"
        if step.action == "transition":
            response = await self.api.post(
                f"{self.path}/transitions", body, key, if_match=self.etag
            )
            self.etag = response.headers["ETag"]
        elif step.action == "plan":
            plan = (await self.api.post(f"{self.path}/plans", body, key)).json()
            assert step.then is not None
            await self.api.post(f"{self.path}/plans/{plan['id']}/approval", step.then, f"{key}-ok")
        elif step.action == "follow_up":
            response = await self.api.post(f"{self.path}/follow-ups", body, key)
            if step.then is not None:
                await self._complete(response.json(), step.then, replayed(response))
        else:
            await self.api.post(f"{self.path}/{COLLECTIONS[step.action]}", body, key)

    async def _complete(self, follow_up: dict[str, Any], done: dict[str, Any], seen: bool) -> None:
        """Mark a follow-up done, unless a previous load of the demo already did."""
        if seen:
            listed = (await self.api.get(f"{self.path}/follow-ups")).json()["items"]
            follow_up = next(f for f in listed if f["id"] == follow_up["id"])
            if follow_up["done_date"] is not None:
                return
        # Creating a follow-up answers without an ETag; its version is in the body.
        etag = f'"{follow_up["version"]}"'
        await self.api.patch(f"{self.path}/follow-ups/{follow_up['id']}", done, etag)


async def _person(api: Api, person: PersonSpec, case: CaseSpec | None, ids: Ids) -> None:
    key = f"person-{person.index}"
    response = await api.post(
        f"{V1}/persons", person.payload, key, params={"allow_duplicate": "true"}
    )
    if case is None:
        return
    body = {**resolve(case.payload, ids), "person_id": response.json()["id"]}
    response = await api.post(f"{V1}/cases", body, f"{key}-case")
    story = CaseStory(api, response.json()["id"], response.headers["ETag"], f"{key}-case")
    for n, step in enumerate(case.steps):
        await story.step(n, step, ids)


async def create_people(
    api: Api,
    people: list[PersonSpec],
    cases: list[CaseSpec],
    ids: Ids,
    done: Callable[[int], None] = lambda count: None,
) -> None:
    """`done(count)` is called as each person and their case story are in."""
    case_of = {case.person: case for case in cases}
    finished = 0

    async def one(person: PersonSpec) -> None:
        nonlocal finished
        await _person(api, person, case_of.get(person.index), ids)
        finished += 1
        done(finished)

    await run_all(one(p) for p in people)
