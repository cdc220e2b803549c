"""What social workers record about a case: which services fit a person's categories, who
pays and how much, and the short Vietnamese texts of assessments and plans."""

import random
from datetime import date
from typing import Any

from tools.demo.common import round_vnd, weighted

SERVICES_FOR = {
    "orphan_without_support": ("foster_kinship_care", "cash_assistance", "education_support"),
    "abandoned_child": ("residential_care", "health_care", "adoption_support"),
    "child_with_hiv": ("health_care", "psychosocial_support", "cash_assistance"),
    "person_with_hiv": ("health_care", "counselling", "cash_assistance"),
    "child_toxic_chemical_victim": ("rehabilitation", "health_care", "cash_assistance"),
    "child_severe_disability": ("rehabilitation", "health_care", "education_support"),
    "child_other_disability": ("rehabilitation", "education_support"),
    "person_with_disability": ("rehabilitation", "cash_assistance", "livelihood_support"),
    "child_disaster_affected": ("emergency_intervention", "in_kind_assistance", "cash_assistance"),
    "child_violence_victim": ("emergency_intervention", "psychosocial_support", "safe_house"),
    "child_sexual_abuse_victim": ("emergency_intervention", "psychosocial_support", "legal_aid"),
    "violence_victim": ("safe_house", "counselling", "legal_aid"),
    "child_trafficking_victim": ("safe_house", "psychosocial_support", "legal_aid"),
    "trafficking_victim": ("safe_house", "vocational_training", "legal_aid"),
    "child_labour": ("education_support", "family_strengthening", "counselling"),
    "child_street": ("emergency_intervention", "education_support", "family_strengthening"),
    "child_migrant": ("education_support", "in_kind_assistance", "counselling"),
    "child_drug_use": ("counselling", "psychosocial_support", "health_care"),
    "person_in_drug_rehab": ("counselling", "vocational_training", "health_care"),
    "child_in_conflict_with_law": ("legal_aid", "counselling", "family_strengthening"),
    "person_released_from_prison": ("vocational_training", "livelihood_support", "counselling"),
    "child_lost_parental_care": ("foster_kinship_care", "cash_assistance", "education_support"),
    "child_affected_by_hiv": ("education_support", "psychosocial_support", "cash_assistance"),
    "older_person": ("health_care", "cash_assistance", "in_kind_assistance"),
    "person_mental_illness": ("health_care", "psychosocial_support", "residential_care"),
    "poor_household": ("livelihood_support", "cash_assistance", "in_kind_assistance"),
    "near_poor_household": ("livelihood_support", "vocational_training"),
    "single_parent_poor": ("livelihood_support", "cash_assistance", "family_strengthening"),
    "social_assistance_beneficiary": ("cash_assistance", "health_care"),
}
# Typical amounts in đồng (lowest, highest); None: usually given without a price.
AMOUNTS: dict[str, tuple[int, int] | None] = {
    "counselling": None,
    "psychosocial_support": (200_000, 1_500_000),
    "emergency_intervention": (500_000, 5_000_000),
    "health_care": (300_000, 8_000_000),
    "rehabilitation": (500_000, 6_000_000),
    "education_support": (300_000, 4_000_000),
    "vocational_training": (1_000_000, 6_000_000),
    "legal_aid": None,
    "cash_assistance": (500_000, 3_000_000),
    "in_kind_assistance": (200_000, 2_000_000),
    "residential_care": (2_000_000, 6_000_000),
    "foster_kinship_care": (1_000_000, 3_000_000),
    "adoption_support": None,
    "safe_house": (1_000_000, 5_000_000),
    "livelihood_support": (2_000_000, 15_000_000),
    "family_strengthening": (300_000, 2_000_000),
}
FUNDING_PRIORITY_CHILD = {"socialised": 5, "state_budget": 3, "international": 1.5, "family": 0.5}
FUNDING_OTHERS = {"state_budget": 5.5, "socialised": 2, "international": 1, "family": 1.5}
INTAKE_SOURCES = {
    "commune_official": 5, "community": 3, "family": 3, "school": 1.5, "hospital": 1.5,
    "police": 1, "hotline_111": 1, "self": 1.5, "referral": 1, "other": 0.3,
}  # fmt: skip
URGENT = {
    "abandoned_child",
    "child_violence_victim",
    "child_sexual_abuse_victim",
    "child_trafficking_victim",
    "violence_victim",
    "trafficking_victim",
}
SENSITIVE_FINDINGS = {
    "child_violence_victim": "Có dấu hiệu bạo lực thể chất kéo dài; đã thông báo công an xã.",
    "child_sexual_abuse_victim": "Trẻ bị xâm hại bởi người quen; cơ quan công an đang điều tra.",
    "violence_victim": "Bị chồng bạo hành nhiều lần; cần nơi tạm lánh an toàn.",
    "child_with_hiv": "Đang điều trị ARV tại phòng khám ngoại trú; tuân thủ điều trị tốt.",
    "person_with_hiv": "Điều trị ARV ổn định; gia đình chưa biết tình trạng nhiễm HIV.",
    "child_drug_use": "Sử dụng ma túy tổng hợp khoảng 6 tháng; bỏ học.",
}
SUMMARIES = (
    "Đã xác minh thông tin tại gia đình; hoàn cảnh khó khăn, cần hỗ trợ sớm.",
    "Thiếu người chăm sóc thường xuyên; điều kiện sinh hoạt không bảo đảm.",
    "Thu nhập gia đình thấp, chưa tiếp cận đầy đủ chính sách trợ giúp xã hội.",
    "Nguy cơ bị tổn hại nếu không được can thiệp; cần theo dõi sát.",
)
GOALS = (
    "Bảo đảm chăm sóc y tế và dinh dưỡng đầy đủ",
    "Duy trì việc học tập, không bỏ học",
    "Ổn định tâm lý, giảm nguy cơ bị tổn hại",
    "Tiếp cận đầy đủ chế độ trợ giúp xã hội",
    "Gia đình có sinh kế ổn định",
    "Có người chăm sóc thay thế phù hợp",
)


def service_types(categories: tuple[str, ...]) -> list[str]:
    """The services that suit the person's categories, plus counselling, which suits all
    (so there are always at least two to choose from)."""
    return [s for c in categories for s in SERVICES_FOR.get(c, ())] + ["counselling"] * 2


def funding(rng: random.Random, priority_child: bool) -> str:
    return weighted(rng, FUNDING_PRIORITY_CHILD if priority_child else FUNDING_OTHERS)


def amount(rng: random.Random, service_type: str) -> int | None:
    bounds = AMOUNTS[service_type]
    if bounds is None:
        return None
    return round_vnd(rng.uniform(*bounds), 50_000)


def service_note(service_type: str, on: date) -> str | None:
    if service_type == "in_kind_assistance" and on.month in (1, 2):
        return "Quà Tết"
    if service_type == "in_kind_assistance" and on.month == 9:
        return "Quà Trung thu"
    return None


def risk_level(rng: random.Random, categories: tuple[str, ...]) -> str:
    if URGENT & set(categories):
        return weighted(rng, {"high": 3, "critical": 2})
    return weighted(rng, {"low": 2, "medium": 4, "high": 2})


def findings(categories: tuple[str, ...]) -> str | None:
    return next((SENSITIVE_FINDINGS[c] for c in categories if c in SENSITIVE_FINDINGS), None)


def goals(rng: random.Random) -> list[dict[str, Any]]:
    return [{"description": g} for g in rng.sample(GOALS, rng.randint(1, 3))]
