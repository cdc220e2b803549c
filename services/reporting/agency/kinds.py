"""The kinds of agency a plan gives duties to, and which report on them to the lead
department (section IV of the plans)."""

from shared.labels import LabelledEnum, labelled


class AgencyKind(LabelledEnum):
    DEPARTMENT = "department"
    MASS_ORGANISATION = "mass_organisation"
    # The district level: in the plans' text only; it was abolished on 01/07/2025.
    DISTRICT_COMMITTEE = "district_committee"
    COMMUNE_COMMITTEE = "commune_committee"
    SCHOOL = "school"
    HOSPITAL = "hospital"


AGENCY_KINDS = labelled(
    AgencyKind,
    (AgencyKind.DEPARTMENT, "Sở, ban, ngành cấp tỉnh", "Provincial department or agency"),
    (
        AgencyKind.MASS_ORGANISATION,
        "Mặt trận Tổ quốc, tổ chức chính trị - xã hội, đoàn thể",
        "Fatherland Front or mass organisation",
    ),
    (
        AgencyKind.DISTRICT_COMMITTEE,
        "Ủy ban nhân dân cấp huyện (trước 01/7/2025)",
        "District People's Committee (before 01/07/2025)",
    ),
    (
        AgencyKind.COMMUNE_COMMITTEE,
        "Ủy ban nhân dân xã, phường",
        "Commune or ward People's Committee",
    ),
    (AgencyKind.SCHOOL, "Trường học, cơ sở giáo dục nghề nghiệp", "School or college"),
    (AgencyKind.HOSPITAL, "Bệnh viện, cơ sở y tế", "Hospital or health facility"),
)
