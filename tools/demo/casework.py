"""Case stories: each case opens on a past date and moves through the stages of Decree
56/2017 as far as its dates allow by today, with the records each stage needs (assessments,
an approved plan), services, follow-ups, consents and now and then a referral.

Stories are pure data: facility and worker ids are `Ref`s, filled in when the story is sent,
so the same seed always yields the same requests.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from tools.demo import care
from tools.demo.common import FIRST_DAY, random_date, weighted
from tools.demo.facilities import FacilitySpec
from tools.demo.names import full_name
from tools.demo.people import PersonSpec

STAGES = ("intake", "assessment", "planning", "implementation", "review")
TARGET_STAGE = {
    "intake": 6,
    "assessment": 8,
    "planning": 6,
    "implementation": 25,
    "review": 15,
    "closed": 40,
}
DAYS_TO_STAGE = {
    "assessment": (2, 14),
    "planning": (5, 30),
    "implementation": (3, 20),
    "review": (60, 200),
}
CLOSED_FROM = {"review": 6, "implementation": 2, "assessment": 1, "intake": 1}
CLOSED_EARLY = {"moved_away": 2, "refused_services": 2, "transferred": 1, "other": 1}
CLOSED_LATE = {"goals_met": 8, "transferred": 1, "moved_away": 1}
MANAGERS = {  # the kind of facility that manages the cases of a category
    "abandoned_child": "social_assistance",
    "person_mental_illness": "social_assistance",
    "person_in_drug_rehab": "drug_rehab",
    "child_in_conflict_with_law": "reformatory_school",
}
REFERRED_TO = ("social_assistance", "health_facility", "mass_organisation", "other")


@dataclass(frozen=True, slots=True)
class Ref:
    kind: Literal["facility", "worker"]
    index: int


@dataclass(slots=True)
class Step:
    action: str  # assessment, plan, transition, service, follow_up, consent, referral
    payload: dict[str, Any]
    then: dict[str, Any] | None = None  # a plan's approval, a follow-up's completion


@dataclass(slots=True)
class CaseSpec:
    person: int
    payload: dict[str, Any]
    steps: list[Step] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(step.action == action for step in self.steps)


@dataclass(frozen=True, slots=True)
class Network:
    """The workforce side a case story may point at."""

    facilities: list[FacilitySpec]
    staff_at: dict[int, list[int]]  # facility index → worker indexes

    def of_kind(self, kind: str, part: str) -> list[FacilitySpec]:
        """Facilities of a kind, in the same legacy part when there are any."""
        found = [f for f in self.facilities if f.kind == kind]
        nearby = [f for f in found if f.place.part == part]
        return nearby or found


def _days(rng: random.Random, on: date, bounds: tuple[int, int]) -> date:
    return on + timedelta(days=rng.randint(*bounds))


def _milestones(rng: random.Random, opened: date, today: date) -> dict[str, date]:
    """The day the case entered each stage it reached by today."""
    reached = {"intake": opened}
    on = opened
    for stage, bounds in DAYS_TO_STAGE.items():
        on = _days(rng, on, bounds)
        if on > today:
            break
        reached[stage] = on
    return reached


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _given_by(person: PersonSpec, on: date) -> str:
    age = _age_on(person.birth, on)
    return "guardian" if age < 7 else "both" if age < 16 else "person"


def _consent(person: PersonSpec, purpose: str, on: date) -> Step:
    payload = {"purpose": purpose, "given_by": _given_by(person, on), "given_on": on.isoformat()}
    return Step("consent", payload)


def _transition(stage: str, on: date, **extra: str) -> Step:
    return Step("transition", {"to_stage": stage, "on_date": on.isoformat(), **extra})


def _manager(
    rng: random.Random, person: PersonSpec, network: Network
) -> tuple[int | None, int | None]:
    """(facility, worker) managing the case: a facility its category calls for, else the
    person's own commune when the demo has it; a fifth are kept by the province itself."""
    if rng.random() < 0.2:
        return None, None
    kind = next((MANAGERS[c] for c in person.categories if c in MANAGERS), None)
    own_commune = [
        f
        for f in network.facilities
        if f.kind == "commune_committee" and f.place.ward_code == person.place.ward_code
    ]
    if kind is None and own_commune:
        facility = own_commune[0]
    else:
        kind = kind or ("social_assistance" if rng.random() < 0.4 else "commune_committee")
        facility = rng.choice(network.of_kind(kind, person.place.part))
    staff = network.staff_at.get(facility.index, [])
    return facility.index, rng.choice(staff) if staff else None


def _assessment(rng: random.Random, person: PersonSpec, kind: str, on: date) -> Step:
    needs = sorted(set(rng.sample(care.service_types(person.categories), 2)))
    payload: dict[str, Any] = {
        "kind": kind,
        "assessed_on": on.isoformat(),
        "risk_level": care.risk_level(rng, person.categories),
        "needs": needs if kind == "detailed_needs" else [],
        "summary": rng.choice(care.SUMMARIES),
    }
    if kind == "detailed_needs" and (found := care.findings(person.categories)):
        payload["findings"] = found
    return Step("assessment", payload)


def _approver(rng: random.Random, person: PersonSpec) -> dict[str, str]:
    if person.child or rng.random() < 0.6:
        title = f"Chủ tịch UBND {person.place.level} {person.place.short_name}"
    else:
        title = "Giám đốc Trung tâm Công tác xã hội"
    born = rng.randint(1965, 1985)
    name = full_name(rng, rng.choice(["male", "female"]), born)
    return {"approved_by": name, "approver_title": title}


def _plan(
    rng: random.Random, person: PersonSpec, drafted: date, approved: date, facility: int | None
) -> Step:
    services = rng.sample(care.service_types(person.categories), 2)
    planned: list[dict[str, Any]] = [
        {"service_type": s, "frequency": rng.choice(["1 lần/tháng", "2 lần/tuần", "Hằng quý"])}
        for s in sorted(set(services))
    ]
    if facility is not None:
        planned[0]["provider_facility_id"] = Ref("facility", facility)
    payload = {
        "drafted_on": drafted.isoformat(),
        "goals": care.goals(rng),
        "planned_services": planned,
    }
    approval = {**_approver(rng, person), "approved_on": approved.isoformat()}
    return Step("plan", payload, then=approval)


def _stage_steps(
    rng: random.Random, person: PersonSpec, reached: dict[str, date], facility: int | None
) -> list[Step]:
    """The records each stage needs, then the move into it, on the stage's dates."""
    opened = reached["intake"]
    steps = [_consent(person, "services", opened)] if rng.random() < 0.85 else []
    first_move = reached.get("assessment", opened + timedelta(days=2))
    steps.append(_assessment(rng, person, "initial_risk", random_date(rng, opened, first_move)))
    if "assessment" in reached:
        steps.append(_transition("assessment", reached["assessment"]))
    if "planning" in reached:
        on = random_date(rng, reached["assessment"], reached["planning"])
        steps.append(_assessment(rng, person, "detailed_needs", on))
        steps.append(_transition("planning", reached["planning"]))
    if "implementation" in reached:
        drafted = random_date(rng, reached["planning"], reached["implementation"])
        steps.append(_plan(rng, person, drafted, reached["implementation"], facility))
        steps.append(_transition("implementation", reached["implementation"]))
    if "review" in reached:
        steps.append(_transition("review", reached["review"]))
    return steps


def _services(
    rng: random.Random,
    person: PersonSpec,
    span: tuple[date, date],
    manager: tuple[int | None, int | None],
) -> list[Step]:
    facility, worker = manager
    steps = []
    for on in sorted(random_date(rng, *span) for _ in range(rng.randint(1, 5))):
        service_type = rng.choice(care.service_types(person.categories))
        payload: dict[str, Any] = {
            "service_type": service_type,
            "delivered_on": on.isoformat(),
            "funding_source": care.funding(rng, person.priority_child),
            "amount_vnd": care.amount(rng, service_type),
        }
        if note := care.service_note(service_type, on):
            payload["note"] = note
        if facility is not None and rng.random() < 0.6:
            payload["provider_facility_id"] = Ref("facility", facility)
        if worker is not None:
            payload["worker_id"] = Ref("worker", worker)
        steps.append(Step("service", payload))
    return steps


def _follow_ups(
    rng: random.Random, span: tuple[date, date], today: date, worker: int | None, closed: bool
) -> list[Step]:
    """Some done (all, once the case is closed), some still open, and some overdue: due in
    the past and never done."""
    steps = []
    for _ in range(rng.randint(0, 2)):
        start = random_date(rng, *span)
        due = start + timedelta(days=rng.randint(14, 60))
        payload: dict[str, Any] = {
            "kind": rng.choice(["follow_up", "follow_up", "review"]),
            "start_date": start.isoformat(),
            "due_date": due.isoformat(),
            "note": "Thăm gia đình, đánh giá tiến triển",
        }
        if worker is not None:
            payload["assigned_worker_id"] = Ref("worker", worker)
        done = None
        if closed or (due < today and rng.random() < 0.6):
            done = {"done_date": random_date(rng, start, min(due, span[1])).isoformat()}
        steps.append(Step("follow_up", payload, then=done))
    return steps


def _referral(
    rng: random.Random, person: PersonSpec, network: Network, facility: int | None, on: date
) -> list[Step]:
    """Sharing consent first, then the referral to another facility of the demo."""
    kind = rng.choice(REFERRED_TO)
    targets = [f for f in network.of_kind(kind, person.place.part) if f.index != facility]
    if not targets:
        return []
    payload = {
        "to_facility_id": Ref("facility", rng.choice(targets).index),
        "reason": "Cần hỗ trợ chuyên sâu vượt khả năng của cơ sở đang quản lý",
        "services_requested": sorted(set(rng.sample(care.service_types(person.categories), 2))),
        "consent_confirmed": True,
    }
    return [_consent(person, "sharing", on), Step("referral", payload)]


def _closure_reason(rng: random.Random, person: PersonSpec, stage: str) -> str:
    if stage in ("intake", "assessment", "planning"):
        return weighted(rng, CLOSED_EARLY)
    reasons = dict(CLOSED_LATE)
    if "older_person" in person.categories:
        reasons["deceased"] = 1
    return weighted(rng, reasons)


def _cut(reached: dict[str, date], stage: str) -> tuple[dict[str, date], str]:
    """The stages up to `stage`, or all of them when the case has not got that far."""
    if stage not in reached:
        stage = list(reached)[-1]
    return {s: d for s, d in reached.items() if STAGES.index(s) <= STAGES.index(stage)}, stage


def _final_stage(
    rng: random.Random, person: PersonSpec, reached: dict[str, date], today: date
) -> tuple[dict[str, date], Step | None]:
    """Cut the story at its target stage; a case to be closed closes from a stage it reached,
    if its closing day is already past."""
    target = weighted(rng, TARGET_STAGE)
    if target != "closed":
        return _cut(reached, target)[0], None
    kept, stage = _cut(reached, weighted(rng, CLOSED_FROM))
    on = _days(rng, kept[stage], (10, 90))
    if on > today:
        return kept, None
    reason = _closure_reason(rng, person, stage)
    extra = {"reason": "Gia đình đã tự lo liệu được"} if reason == "other" else {}
    return kept, _transition("closed", on, closure_reason=reason, **extra)


def _intake_source(rng: random.Random, person: PersonSpec) -> str:
    if care.URGENT & set(person.categories):
        return weighted(rng, {"hotline_111": 3, "police": 2, "community": 2, "school": 1})
    return weighted(rng, care.INTAKE_SOURCES)


def case_spec(rng: random.Random, person: PersonSpec, network: Network, today: date) -> CaseSpec:
    opened = random_date(rng, max(person.birth, FIRST_DAY), today - timedelta(days=5))
    reached, closing = _final_stage(rng, person, _milestones(rng, opened, today), today)
    facility, worker = _manager(rng, person, network)
    payload = {
        "intake_source": _intake_source(rng, person),
        "risk_level": care.risk_level(rng, person.categories),
        "opened_date": opened.isoformat(),
        "managing_facility_id": None if facility is None else Ref("facility", facility),
        "assigned_worker_id": None if worker is None else Ref("worker", worker),
    }
    spec = CaseSpec(person.index, payload, _stage_steps(rng, person, reached, facility))
    end = date.fromisoformat(closing.payload["on_date"]) if closing else today
    if "implementation" in reached:
        span = (reached["implementation"], end)
        spec.steps += _services(rng, person, span, (facility, worker))
        spec.steps += _follow_ups(rng, span, today, worker, closing is not None)
    elif rng.random() < 0.5:
        spec.steps += _services(rng, person, (opened, end), (facility, worker))[:1]
    if "assessment" in reached and rng.random() < 0.08:
        spec.steps += _referral(rng, person, network, facility, reached["assessment"])
    if closing is not None:
        spec.steps.append(closing)
    return spec


def case_specs(
    rng: random.Random, people: list[PersonSpec], network: Network, today: date
) -> list[CaseSpec]:
    """About four people in five have a case."""
    return [case_spec(rng, p, network, today) for p in people if rng.random() < 0.8]
