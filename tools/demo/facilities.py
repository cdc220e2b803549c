"""About sixty facilities of every kind the workforce registry knows, named and flagged the
way a provincial department records them after the 2025 merger."""

import random
from dataclasses import dataclass
from typing import Any

from tools.demo.common import (
    PROVINCE,
    Part,
    Place,
    address_line,
    pick_place,
)


@dataclass(frozen=True, slots=True)
class Template:
    kind: str
    sector: str
    code: str  # facility code infix, e.g. 31-BTXH-001
    names: tuple[str, ...]  # "{ward}" is the ward's name without its prefix
    part: Part | None = None  # the legacy part the names belong to, when they name one
    services: tuple[str, ...] = ()


def _t(kind: str, sector: str, code: str, *names: str, **kw: Any) -> Template:
    return Template(kind, sector, code, names, **kw)


_SOCIAL = ("counselling", "psychosocial_support", "case_management", "emergency_protection")
_CARE = (*_SOCIAL, "care_and_rehabilitation", "referral")
TEMPLATES: tuple[Template, ...] = (
    _t("social_assistance", "social", "BTXH", "Trung tâm Công tác xã hội thành phố Hải Phòng",
       "Trung tâm Bảo trợ xã hội thành phố Hải Phòng", part="hp", services=_CARE),
    _t("social_assistance", "social", "BTXH", "Trung tâm Công tác xã hội tỉnh Hải Dương (cũ)",
       "Trung tâm Bảo trợ xã hội tỉnh Hải Dương (cũ)", "Làng trẻ em SOS Hải Dương",
       "Cơ sở trợ giúp xã hội Hoa Hồng {ward}", part="hd", services=_CARE),
    _t("drug_rehab", "public_security", "CNMT", "Cơ sở cai nghiện ma túy số 1 thành phố Hải Phòng",
       "Cơ sở cai nghiện ma túy số 2 thành phố Hải Phòng", part="hp", services=_SOCIAL),
    _t("drug_rehab", "social", "CNMT", "Cơ sở cai nghiện ma túy tỉnh Hải Dương (cũ)", part="hd",
       services=_SOCIAL),
    _t("prison", "public_security", "TG", "Trại giam Xuân Nguyên", part="hp"),
    _t("prison", "public_security", "TG", "Trại tạm giam Công an tỉnh Hải Dương (cũ)", part="hd"),
    _t("reformatory_school", "public_security", "TGD", "Trường Giáo dưỡng số 5", part="hd",
       services=("counselling", "psychosocial_support")),
    _t("judicial_body", "justice", "TP", "Tòa án nhân dân khu vực 1 - Hải Phòng",
       "Sở Tư pháp thành phố Hải Phòng", part="hp"),
    _t("judicial_body", "justice", "TP", "Tòa án nhân dân khu vực 9 - Hải Phòng", part="hd"),
    _t("school", "education", "TH", "Trường THCS {ward}", "Trường Tiểu học {ward}",
       "Trường THPT {ward}", "Trường Mầm non {ward}",
       services=("counselling", "psychosocial_support", "communication")),
    _t("health_facility", "health", "YT", "Bệnh viện Trẻ em Hải Phòng",
       "Bệnh viện Hữu nghị Việt Tiệp", "Bệnh viện Tâm thần Hải Phòng", part="hp",
       services=("counselling", "psychosocial_support", "referral", "communication")),
    _t("health_facility", "health", "YT", "Bệnh viện Đa khoa tỉnh Hải Dương",
       "Bệnh viện Nhi Hải Dương", "Bệnh viện Đa khoa Chí Linh", part="hd",
       services=("counselling", "psychosocial_support", "referral", "communication")),
    _t("health_facility", "health", "YT", "Trạm Y tế {level} {ward}",
       services=("counselling", "referral")),
    _t("commune_committee", "local_government", "UBND", "UBND {level} {ward}",
       services=("case_management", "referral", "family_support", "communication")),
    _t("mass_organisation", "mass_organisation", "DT",
       "Hội Liên hiệp Phụ nữ thành phố Hải Phòng", "Thành đoàn Hải Phòng",
       "Hội Chữ thập đỏ thành phố Hải Phòng", part="hp",
       services=("family_support", "communication", "referral")),
    _t("mass_organisation", "mass_organisation", "DT",
       "Hội Bảo trợ người khuyết tật và trẻ mồ côi tỉnh Hải Dương (cũ)",
       "Hội Liên hiệp Phụ nữ {level} {ward}", part="hd",
       services=("family_support", "communication", "referral")),
    _t("other", "other", "KH", "Quỹ Bảo trợ trẻ em thành phố Hải Phòng", part="hp"),
    _t("other", "social", "KH", "Văn phòng Tư vấn công tác xã hội Hải Dương", part="hd",
       services=("counselling", "referral")),
)  # fmt: skip

# How many facilities of the open-ended templates ("{ward}") the demo makes.
WARD_FACILITIES = {"school": 12, "health_facility": 3, "commune_committee": 18}


@dataclass(frozen=True, slots=True)
class FacilitySpec:
    index: int
    kind: str
    place: Place
    payload: dict[str, Any]

    @property
    def region(self) -> int:
        return demo_region(self.place)


def _name(pattern: str, place: Place) -> str:
    return pattern.format(ward=place.short_name, level=place.level)


DEMO_REGION_SOURCE = "Dữ liệu minh họa của bản demo, không phải văn bản pháp lý"
DEMO_REGIONS_FROM = "2026-01-01"


def demo_region(place: Place) -> int:
    """The demo's region for a ward from 2026, which it loads as illustrative data (the regions
    shipped for 2024–2025 are the decree's): Hải Phòng's wards I, the former Hải Dương's urban
    wards II and its communes III."""
    if place.part == "hp":
        return 1
    return 2 if place.is_urban else 3


def ward_regions_csv(specs: list["FacilitySpec"]) -> bytes:
    """The demo's ward regions for the wards its facilities stand in, as an officer's CSV."""
    lines = ['"Mã xã, phường",Vùng,Áp dụng từ ngày,Căn cứ pháp lý']
    wards = {spec.place.ward_code: spec.region for spec in specs}
    lines += [f"{w},{r},{DEMO_REGIONS_FROM},{DEMO_REGION_SOURCE}" for w, r in sorted(wards.items())]
    return "\n".join(lines).encode()


def _flags(rng: random.Random, template: Template, name: str) -> dict[str, Any]:
    social = template.kind == "social_assistance"
    private = "SOS" in name or "Hoa Hồng" in name
    provides = bool(template.services) and (social or rng.random() < 0.6)
    return {
        "ownership": "private" if private else "public",
        "in_sector": social or (template.kind == "drug_rehab" and template.sector == "social"),
        "in_network_plan": (social and not private) or rng.random() < (0.35 if provides else 0.1),
        "provides_services": provides,
        "services": list(template.services) if provides else [],
    }


def _payload(rng: random.Random, template: Template, name: str, place: Place) -> dict[str, Any]:
    return {
        "name": name,
        "kind": template.kind,
        "sector": template.sector,
        **_flags(rng, template, name),
        "ward_code": place.ward_code,
    }


def _instances(rng: random.Random, template: Template) -> list[tuple[str, Place]]:
    """(name, place) for each facility a template yields; ward-named ones get distinct wards."""
    if template.part is not None:
        result = []
        for pattern in template.names:
            place = pick_place(rng, template.part, urban=True)
            result.append((_name(pattern, place), place))
        return result
    result, used = [], set()
    while len(result) < WARD_FACILITIES[template.kind]:
        place = pick_place(rng)
        if place.ward_code not in used:
            used.add(place.ward_code)
            result.append((_name(rng.choice(template.names), place), place))
    return result


def facility_specs(rng: random.Random) -> list[FacilitySpec]:
    specs: list[FacilitySpec] = []
    numbers: dict[str, int] = {}
    for template in TEMPLATES:
        for name, place in _instances(rng, template):
            numbers[template.code] = numbers.get(template.code, 0) + 1
            payload = _payload(rng, template, name, place)
            payload["code"] = f"{PROVINCE}-{template.code}-{numbers[template.code]:03d}"
            if rng.random() < 0.5:
                payload["address_line"] = address_line(rng, place)
            specs.append(FacilitySpec(len(specs), template.kind, place, payload))
    return specs
