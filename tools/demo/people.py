"""The people a province's social workers help: half of them children, every category of the
cases service used, each person with the age, sex, caregivers and sensitive details their
categories make likely."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tools.demo.common import (
    Place,
    address_line,
    birth_date_for_age,
    national_id,
    phone,
    pick_place,
    weighted,
)
from tools.demo.names import FAMILY_NAMES, family_name, full_name

PRIORITY_CHILD = (
    "orphan_without_support",
    "abandoned_child",
    "child_with_hiv",
    "child_toxic_chemical_victim",
    "child_severe_disability",
    "child_disaster_affected",
)
SPECIAL_CHILD = (
    "child_lost_parental_care",
    "child_other_disability",
    "child_affected_by_hiv",
    "child_violence_victim",
    "child_sexual_abuse_victim",
    "child_trafficking_victim",
    "child_labour",
    "child_drug_use",
    "child_in_conflict_with_law",
    "child_street",
    "child_migrant",
)
ADULT = (
    "older_person",
    "person_with_disability",
    "person_mental_illness",
    "person_with_hiv",
    "person_in_drug_rehab",
    "person_released_from_prison",
    "violence_victim",
    "trafficking_victim",
    "poor_household",
    "near_poor_household",
    "single_parent_poor",
    "social_assistance_beneficiary",
)
AGES = {
    "abandoned_child": (0, 10),
    "child_drug_use": (13, 15),
    "child_in_conflict_with_law": (12, 15),
    "child_labour": (11, 15),
    "child_street": (8, 15),
    "child_sexual_abuse_victim": (5, 15),
    "child_trafficking_victim": (10, 15),
    "older_person": (60, 96),
    "person_released_from_prison": (22, 65),
    "person_in_drug_rehab": (18, 55),
    "single_parent_poor": (20, 50),
    "trafficking_victim": (18, 40),
}
FEMALE_SHARE = {
    "violence_victim": 0.85,
    "single_parent_poor": 0.9,
    "trafficking_victim": 0.8,
    "child_sexual_abuse_victim": 0.8,
    "person_in_drug_rehab": 0.1,
    "person_released_from_prison": 0.15,
    "child_drug_use": 0.2,
    "child_in_conflict_with_law": 0.2,
}
# Categories that come together: (another category, how often).
ALSO = {
    "child_with_hiv": (("orphan_without_support", 0.4),),
    "child_toxic_chemical_victim": (("child_severe_disability", 0.5),),
    "child_severe_disability": (("poor_household", 0.3),),
    "orphan_without_support": (("poor_household", 0.3),),
    "child_disaster_affected": (("near_poor_household", 0.4),),
    "older_person": (("social_assistance_beneficiary", 0.35), ("poor_household", 0.2)),
    "person_with_disability": (("social_assistance_beneficiary", 0.4),),
    "person_with_hiv": (("poor_household", 0.25),),
    "violence_victim": (("single_parent_poor", 0.2),),
}
PARENTS = [("female", "mẹ", False), ("male", "bố", True)]
KIN = [
    ("female", "bà nội", True),
    ("female", "bà ngoại", False),
    ("male", "ông nội", True),
    ("female", "cô ruột", True),
    ("male", "bác ruột", True),
]
ETHNICITIES = {"Kinh": 92, "Sán Dìu": 3, "Hoa": 2, "Tày": 2, "Mường": 1}


@dataclass(frozen=True, slots=True)
class PersonSpec:
    index: int
    place: Place
    birth: date
    child: bool
    categories: tuple[str, ...]
    payload: dict[str, Any]

    @property
    def priority_child(self) -> bool:
        return self.child and any(c in PRIORITY_CHILD for c in self.categories)


def _deck(rng: random.Random, first: tuple[str, ...], rest: tuple[str, ...]) -> Iterator[str]:
    """Categories in rounds, each round shuffled: the first round deals `first` before the
    rest so that even a small demo has every priority group; later rounds deal `first`
    twice as often."""
    opening = [*rng.sample(first, len(first)), *rng.sample(rest, len(rest))]
    yield from opening
    while True:
        round_ = [*first, *first, *rest]
        rng.shuffle(round_)
        yield from round_


def _categories(rng: random.Random, main: str) -> list[str]:
    extra = [code for code, share in ALSO.get(main, ()) if rng.random() < share]
    return [main, *extra]


def _carers(rng: random.Random, categories: list[str]) -> list[tuple[str, str, bool]]:
    """(sex, relationship, shares the child's family name) of who looks after the child."""
    if "abandoned_child" in categories:
        return [("female", "người chăm sóc thay thế", False)]
    if {"orphan_without_support", "child_lost_parental_care"} & set(categories):
        return [rng.choice(KIN)]
    return PARENTS[: rng.randint(1, 2)]


def _caregivers(rng: random.Random, categories: list[str], name: str) -> list[dict[str, Any]]:
    result = []
    for n, (sex, relationship, paternal) in enumerate(_carers(rng, categories)):
        family = family_name(name) if paternal else weighted(rng, FAMILY_NAMES)
        older = relationship.startswith(("bà", "ông"))
        carer = {
            "full_name": full_name(rng, sex, rng.randint(1945, 1965) if older else 1980, family),
            "relationship": relationship,
            "is_legal_guardian": n == 0,
        }
        if rng.random() < 0.7:
            carer["phone"] = phone(rng)
        result.append(carer)
    return result


def _sensitive(rng: random.Random, categories: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if rng.random() < 0.4:
        fields["ethnicity"] = weighted(rng, ETHNICITIES)
    if {"child_with_hiv", "person_with_hiv"} & set(categories):
        fields["hiv_status"] = "positive"
    elif "child_affected_by_hiv" in categories:
        fields["hiv_status"] = rng.choice(["negative", "unknown"])
    if {"child_drug_use", "person_in_drug_rehab"} & set(categories):
        fields["drug_use"] = True
    if "person_released_from_prison" in categories:
        fields["criminal_record"] = True
    if "person_mental_illness" in categories:
        fields["health_notes"] = rng.choice(
            ["Tâm thần phân liệt, điều trị ngoại trú", "Rối loạn trầm cảm, đang dùng thuốc"]
        )
    return fields


def _disability(rng: random.Random, categories: list[str]) -> dict[str, Any]:
    if "child_severe_disability" in categories:
        severity = rng.choice(["severe", "very_severe"])
    elif "child_other_disability" in categories:
        severity = "mild"
    elif "person_with_disability" in categories:
        severity = weighted(rng, {"mild": 5, "severe": 3, "very_severe": 1})
    else:
        return {}
    kinds = {"mobility": 4, "intellectual": 2, "hearing_speech": 2, "visual": 1, "mental": 1}
    return {"disability_type": weighted(rng, kinds), "disability_severity": severity}


def _identity(
    rng: random.Random, place: Place, sex: str, birth: date, child: bool, serial: int
) -> dict[str, Any]:
    if child:
        if rng.random() < 0.8:
            return {"birth_registration_no": f"{rng.randint(1, 400)}/{birth.year}"}
        return {}
    fields: dict[str, Any] = {}
    if rng.random() < 0.7:
        born_in = "030" if place.part == "hd" else "031"
        fields["national_id"] = national_id(born_in, sex, birth, serial)
    if rng.random() < 0.6:
        fields["phone"] = phone(rng)
    return fields


def person_spec(
    rng: random.Random, index: int, main: str, child: bool, today: date, serial: int
) -> PersonSpec:
    place = pick_place(rng)
    categories = _categories(rng, main)
    sex = "female" if rng.random() < FEMALE_SHARE.get(main, 0.5) else "male"
    youngest, oldest = AGES.get(main, (0, 15) if child else (18, 85))
    birth = birth_date_for_age(rng, today, rng.randint(youngest, oldest))
    name = full_name(rng, sex, birth.year)
    payload: dict[str, Any] = {
        "full_name": name,
        "sex": sex,
        "birth_date": birth.isoformat(),
        "birth_date_estimated": main == "abandoned_child" and rng.random() < 0.5,
        "ward_code": place.ward_code,
        "categories": categories,
        **_identity(rng, place, sex, birth, child, serial),
        **_disability(rng, categories),
        **_sensitive(rng, categories),
    }
    if rng.random() < 0.8:
        payload["address_line"] = address_line(rng, place)
    if child:
        payload["caregivers"] = _caregivers(rng, categories, name)
    return PersonSpec(index, place, birth, child, tuple(categories), payload)


def person_specs(rng: random.Random, people: int, today: date) -> list[PersonSpec]:
    """Exactly half children (under 16 today), in random order."""
    kinds = [True] * ((people + 1) // 2) + [False] * (people // 2)
    rng.shuffle(kinds)
    children = _deck(rng, PRIORITY_CHILD, SPECIAL_CHILD)
    adults = _deck(rng, ADULT, ())
    serials = rng.sample(range(1, 1_000_000), people)
    return [
        person_spec(rng, i, next(children if child else adults), child, today, serials[i])
        for i, child in enumerate(kinds)
    ]
