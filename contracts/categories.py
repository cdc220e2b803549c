"""The categories a person is registered under, with their labels and flags. The cases
service keeps them on people; the /stats answers reporting reads group children by them."""

from dataclasses import dataclass
from typing import Annotated

from shared.labels import Code, CodeOf


@dataclass(frozen=True, slots=True)
class Category(Code):
    group: str  # priority_child, special_child, adult
    sensitive: bool = False  # reveals HIV, abuse, trafficking, drugs, a record or health details
    priority_child: bool = False  # one of the six groups of target #5


def _category(code: str, vi: str, en: str, group: str, **flags: bool) -> Category:
    return Category(code, vi, en, group, **flags)


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in [
        # The six priority child groups of target #5 (Decision 112).
        _category(
            "orphan_without_support",
            "Trẻ em mồ côi không nơi nương tựa",
            "Orphaned child without support",
            "priority_child",
            priority_child=True,
        ),
        _category(
            "abandoned_child",
            "Trẻ em bị bỏ rơi",
            "Abandoned child",
            "priority_child",
            priority_child=True,
        ),
        _category(
            "child_with_hiv",
            "Trẻ em nhiễm HIV/AIDS",
            "Child living with HIV/AIDS",
            "priority_child",
            priority_child=True,
            sensitive=True,
        ),
        _category(
            "child_toxic_chemical_victim",
            "Trẻ em là nạn nhân chất độc hóa học",
            "Child victim of toxic chemicals (Agent Orange)",
            "priority_child",
            priority_child=True,
        ),
        _category(
            "child_severe_disability",
            "Trẻ em khuyết tật nặng",
            "Child with severe disabilities",
            "priority_child",
            priority_child=True,
        ),
        _category(
            "child_disaster_affected",
            "Trẻ em bị ảnh hưởng bởi thiên tai, dịch bệnh",
            "Child affected by natural disasters or epidemics",
            "priority_child",
            priority_child=True,
        ),
        # Other children in special circumstances (Law on Children 2016, art. 10).
        _category(
            "child_lost_parental_care",
            "Trẻ em mất nguồn nuôi dưỡng",
            "Child who lost parental care",
            "special_child",
        ),
        _category(
            "child_other_disability",
            "Trẻ em khuyết tật (không nặng)",
            "Child with (non-severe) disabilities",
            "special_child",
        ),
        _category(
            "child_affected_by_hiv",
            "Trẻ em bị ảnh hưởng bởi HIV/AIDS",
            "Child affected by HIV/AIDS",
            "special_child",
            sensitive=True,
        ),
        _category(
            "child_violence_victim",
            "Trẻ em bị bạo lực",
            "Child victim of violence",
            "special_child",
            sensitive=True,
        ),
        _category(
            "child_sexual_abuse_victim",
            "Trẻ em bị xâm hại tình dục",
            "Child victim of sexual abuse",
            "special_child",
            sensitive=True,
        ),
        _category(
            "child_trafficking_victim",
            "Trẻ em bị mua bán",
            "Child victim of trafficking",
            "special_child",
            sensitive=True,
        ),
        _category(
            "child_labour", "Trẻ em bị bóc lột sức lao động", "Child labour", "special_child"
        ),
        _category(
            "child_drug_use",
            "Trẻ em nghiện ma túy",
            "Child using drugs",
            "special_child",
            sensitive=True,
        ),
        _category(
            "child_in_conflict_with_law",
            "Trẻ em vi phạm pháp luật",
            "Child in conflict with the law",
            "special_child",
            sensitive=True,
        ),
        _category("child_street", "Trẻ em lang thang", "Street child", "special_child"),
        _category(
            "child_migrant",
            "Trẻ em di cư, không có nơi cư trú ổn định",
            "Migrant child without stable residence",
            "special_child",
        ),
        # Adults and households.
        _category("older_person", "Người cao tuổi", "Older person", "adult"),
        _category(
            "person_with_disability", "Người khuyết tật", "Person with disabilities", "adult"
        ),
        _category(
            "person_mental_illness",
            "Người tâm thần",
            "Person with mental illness",
            "adult",
            sensitive=True,
        ),
        _category(
            "person_with_hiv",
            "Người nhiễm HIV/AIDS",
            "Person living with HIV/AIDS",
            "adult",
            sensitive=True,
        ),
        _category(
            "person_in_drug_rehab",
            "Người cai nghiện ma túy",
            "Person in drug rehabilitation",
            "adult",
            sensitive=True,
        ),
        _category(
            "person_released_from_prison",
            "Người chấp hành xong án phạt tù",
            "Person released from prison",
            "adult",
            sensitive=True,
        ),
        _category(
            "violence_victim",
            "Nạn nhân bạo lực gia đình, bạo lực giới",
            "Victim of domestic or gender-based violence",
            "adult",
            sensitive=True,
        ),
        _category(
            "trafficking_victim",
            "Nạn nhân bị mua bán",
            "Victim of trafficking",
            "adult",
            sensitive=True,
        ),
        _category("poor_household", "Người thuộc hộ nghèo", "Member of a poor household", "adult"),
        _category(
            "near_poor_household",
            "Người thuộc hộ cận nghèo",
            "Member of a near-poor household",
            "adult",
        ),
        _category(
            "single_parent_poor",
            "Người đơn thân nghèo nuôi con",
            "Poor single parent raising children",
            "adult",
        ),
        _category(
            "social_assistance_beneficiary",
            "Đối tượng bảo trợ xã hội (NĐ 20/2021)",
            "Social assistance beneficiary (Decree 20/2021)",
            "adult",
        ),
    ]
}

PRIORITY_CHILD_CATEGORIES = tuple(c.code for c in CATEGORIES.values() if c.priority_child)
SENSITIVE_CATEGORIES = frozenset(c.code for c in CATEGORIES.values() if c.sensitive)

CategoryCode = Annotated[str, CodeOf("Category", CATEGORIES, "category")]
