"""The codes workforce records carry. Values are English snake_case; labels are data."""

from enum import StrEnum

from shared.labels import codes


class FacilityKind(StrEnum):
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


FACILITY_KINDS = codes(
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


class Sector(StrEnum):
    SOCIAL = "social"  # the sector advising on CTXH (Department of Health since 03/2025)
    HEALTH = "health"
    EDUCATION = "education"
    JUSTICE = "justice"
    PUBLIC_SECURITY = "public_security"
    LOCAL_GOVERNMENT = "local_government"
    MASS_ORGANISATION = "mass_organisation"
    OTHER = "other"


SECTORS = codes(
    (Sector.SOCIAL, "Bảo trợ xã hội, công tác xã hội", "Social protection and social work"),
    (Sector.HEALTH, "Y tế", "Health"),
    (Sector.EDUCATION, "Giáo dục", "Education"),
    (Sector.JUSTICE, "Tư pháp", "Justice"),
    (Sector.PUBLIC_SECURITY, "Công an", "Public security"),
    (Sector.LOCAL_GOVERNMENT, "Chính quyền địa phương", "Local government"),
    (Sector.MASS_ORGANISATION, "Đoàn thể", "Mass organisations"),
    (Sector.OTHER, "Khác", "Other"),
)


class Ownership(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Qualification(StrEnum):
    NONE = "none"
    INTERMEDIATE = "intermediate"
    COLLEGE = "college"
    UNIVERSITY = "university"
    MASTER = "master"
    DOCTORATE = "doctorate"


QUALIFICATIONS = codes(
    (Qualification.NONE, "Chưa qua đào tạo CTXH", "No social work qualification"),
    (Qualification.INTERMEDIATE, "Trung cấp", "Intermediate"),
    (Qualification.COLLEGE, "Cao đẳng", "College"),
    (Qualification.UNIVERSITY, "Đại học", "University"),
    (Qualification.MASTER, "Thạc sĩ", "Master"),
    (Qualification.DOCTORATE, "Tiến sĩ", "Doctorate"),
)


class ProfessionalTitle(StrEnum):
    # Circular 26/2022/TT-BLĐTBXH: social work civil-servant titles, grade I (highest) to IV.
    GRADE_I = "grade_i"
    GRADE_II = "grade_ii"
    GRADE_III = "grade_iii"
    GRADE_IV = "grade_iv"


class WorkerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # has left (nghỉ việc)
    RETIRED = "retired"


WORKER_STATUSES = codes(
    (WorkerStatus.ACTIVE, "Đang làm việc", "Active"),
    (WorkerStatus.INACTIVE, "Đã nghỉ việc", "Has left"),
    (WorkerStatus.RETIRED, "Đã nghỉ hưu", "Retired"),
)


class PositionKind(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    COLLABORATOR = "collaborator"
    VOLUNTEER = "volunteer"


POSITION_KINDS = codes(
    (PositionKind.FULL_TIME, "Chuyên trách", "Full-time"),
    (PositionKind.PART_TIME, "Kiêm nhiệm, không chuyên trách", "Part-time"),
    (PositionKind.COLLABORATOR, "Cộng tác viên", "Collaborator"),
    (PositionKind.VOLUNTEER, "Tình nguyện viên", "Volunteer"),
)
# CTXH staff for every target (Decision 112 and both plans: "chuyên trách, không chuyên trách
# hoặc cộng tác viên"); volunteers are counted apart and never as staff.
STAFF_POSITION_KINDS = (PositionKind.FULL_TIME, PositionKind.PART_TIME, PositionKind.COLLABORATOR)


class CourseKind(StrEnum):
    DEGREE_INTERMEDIATE = "degree_intermediate"
    DEGREE_COLLEGE = "degree_college"
    DEGREE_UNIVERSITY = "degree_university"
    DEGREE_POSTGRADUATE = "degree_postgraduate"
    IN_DEPTH_SKILLS = "in_depth_skills"
    SHORT_SKILLS = "short_skills"


COURSE_KINDS = codes(
    (CourseKind.DEGREE_INTERMEDIATE, "Đào tạo trình độ trung cấp CTXH", "Intermediate degree"),
    (CourseKind.DEGREE_COLLEGE, "Đào tạo trình độ cao đẳng CTXH", "College degree"),
    (CourseKind.DEGREE_UNIVERSITY, "Đào tạo trình độ đại học CTXH", "University degree"),
    (CourseKind.DEGREE_POSTGRADUATE, "Đào tạo sau đại học CTXH", "Postgraduate degree"),
    (CourseKind.IN_DEPTH_SKILLS, "Đào tạo kỹ năng CTXH chuyên sâu", "In-depth skills training"),
    (CourseKind.SHORT_SKILLS, "Tập huấn kỹ năng CTXH", "Short skills training"),
)
DEGREE_COURSES = frozenset(k for k in CourseKind if k.value.startswith("degree_"))

CTXH_SERVICES = codes(
    ("counselling", "Tư vấn", "Counselling"),
    ("psychosocial_support", "Hỗ trợ tâm lý - xã hội", "Psychosocial support"),
    ("case_management", "Quản lý trường hợp", "Case management"),
    ("emergency_protection", "Bảo vệ khẩn cấp", "Emergency protection"),
    ("care_and_rehabilitation", "Chăm sóc, phục hồi chức năng", "Care and rehabilitation"),
    ("referral", "Kết nối, chuyển gửi dịch vụ", "Linking and referral"),
    ("family_support", "Hỗ trợ gia đình, cộng đồng", "Family and community support"),
    ("communication", "Truyền thông, nâng cao nhận thức", "Communication and awareness"),
)


class WageKind(StrEnum):
    BASE = "base"  # lương cơ sở
    REGIONAL_MINIMUM = "regional_minimum"  # lương tối thiểu vùng


class Finding(StrEnum):
    COMPLIANT = "compliant"
    MINOR_ISSUES = "minor_issues"
    VIOLATION = "violation"
