"""The kinds of facility, sectors and kinds of post the workforce service records, with
their labels; its /stats answers break facilities and staff down by them."""

from shared.labels import LabelledEnum, labelled


class FacilityKind(LabelledEnum):
    SOCIAL_ASSISTANCE = "social_assistance"
    DRUG_REHAB = "drug_rehab"
    PRISON = "prison"
    REFORMATORY_SCHOOL = "reformatory_school"
    JUDICIAL_BODY = "judicial_body"
    SCHOOL = "school"
    HEALTH_FACILITY = "health_facility"
    COMMUNE_COMMITTEE = "commune_committee"
    MASS_ORGANISATION = "mass_organisation"
    OTHER = "other"


FACILITY_KINDS = labelled(
    FacilityKind,
    (FacilityKind.SOCIAL_ASSISTANCE, "Cơ sở trợ giúp xã hội", "Social assistance facility"),
    (FacilityKind.DRUG_REHAB, "Cơ sở cai nghiện ma túy", "Drug rehabilitation facility"),
    (FacilityKind.PRISON, "Trại giam", "Prison"),
    (FacilityKind.REFORMATORY_SCHOOL, "Trường giáo dưỡng", "Reformatory school"),
    (FacilityKind.JUDICIAL_BODY, "Cơ quan tư pháp", "Judicial body"),
    (FacilityKind.SCHOOL, "Trường học", "School"),
    (FacilityKind.HEALTH_FACILITY, "Bệnh viện, cơ sở y tế", "Hospital or health facility"),
    (FacilityKind.COMMUNE_COMMITTEE, "UBND xã, phường", "Commune/ward People's Committee"),
    (FacilityKind.MASS_ORGANISATION, "Tổ chức chính trị - xã hội, đoàn thể", "Mass organisation"),
    (FacilityKind.OTHER, "Đơn vị khác", "Other unit"),
)


class Sector(LabelledEnum):
    SOCIAL = "social"  # the sector advising on CTXH (Department of Health since 03/2025)
    HEALTH = "health"
    EDUCATION = "education"
    JUSTICE = "justice"
    PUBLIC_SECURITY = "public_security"
    LOCAL_GOVERNMENT = "local_government"
    MASS_ORGANISATION = "mass_organisation"
    OTHER = "other"


SECTORS = labelled(
    Sector,
    (Sector.SOCIAL, "Bảo trợ xã hội, công tác xã hội", "Social protection and social work"),
    (Sector.HEALTH, "Y tế", "Health"),
    (Sector.EDUCATION, "Giáo dục", "Education"),
    (Sector.JUSTICE, "Tư pháp", "Justice"),
    (Sector.PUBLIC_SECURITY, "Công an", "Public security"),
    (Sector.LOCAL_GOVERNMENT, "Chính quyền địa phương", "Local government"),
    (Sector.MASS_ORGANISATION, "Đoàn thể", "Mass organisations"),
    (Sector.OTHER, "Khác", "Other"),
)


class PositionKind(LabelledEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    COLLABORATOR = "collaborator"
    VOLUNTEER = "volunteer"


POSITION_KINDS = labelled(
    PositionKind,
    (PositionKind.FULL_TIME, "Chuyên trách", "Full-time"),
    (PositionKind.PART_TIME, "Kiêm nhiệm, không chuyên trách", "Part-time"),
    (PositionKind.COLLABORATOR, "Cộng tác viên", "Collaborator"),
    (PositionKind.VOLUNTEER, "Tình nguyện viên", "Volunteer"),
)
