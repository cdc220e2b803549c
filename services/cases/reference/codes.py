"""The codes records carry, with their labels. Enum values are English snake_case codes;
labels are data served to clients (`GET /api/v1/reference/...`)."""

# Categories are part of what reporting reads, so they are declared in contracts; cases code
# imports them from here like its other codes.
from contracts.categories import CATEGORIES as CATEGORIES
from contracts.categories import PRIORITY_CHILD_CATEGORIES as PRIORITY_CHILD_CATEGORIES
from contracts.categories import SENSITIVE_CATEGORIES as SENSITIVE_CATEGORIES
from contracts.categories import Category as Category
from shared.labels import Code, LabelledEnum, labelled
from shared.labels import Sex as Sex  # shared with workforce; cases code imports it from here

SERVICE_TYPES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("counselling", "Tư vấn", "Counselling"),
        Code("psychosocial_support", "Hỗ trợ tâm lý - xã hội", "Psychosocial support"),
        Code("emergency_intervention", "Can thiệp khẩn cấp", "Emergency intervention"),
        Code("health_care", "Chăm sóc sức khỏe", "Health care"),
        Code("rehabilitation", "Phục hồi chức năng", "Rehabilitation"),
        Code("education_support", "Hỗ trợ giáo dục", "Education support"),
        Code("vocational_training", "Học nghề, việc làm", "Vocational training and jobs"),
        Code("legal_aid", "Trợ giúp pháp lý", "Legal aid"),
        Code("cash_assistance", "Trợ cấp tiền mặt", "Cash assistance"),
        Code("in_kind_assistance", "Hỗ trợ hiện vật", "In-kind assistance"),
        Code("residential_care", "Chăm sóc nuôi dưỡng tập trung", "Residential care"),
        Code(
            "foster_kinship_care",
            "Chăm sóc thay thế (nhận nuôi, gia đình thay thế)",
            "Foster or kinship care",
        ),
        Code("adoption_support", "Hỗ trợ nhận con nuôi", "Adoption support"),
        Code("safe_house", "Ngôi nhà tạm lánh", "Safe house"),
        Code("livelihood_support", "Hỗ trợ sinh kế", "Livelihood support"),
        Code(
            "family_strengthening", "Hỗ trợ, tăng cường năng lực gia đình", "Family strengthening"
        ),
    ]
}

FUNDING_SOURCES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("state_budget", "Ngân sách nhà nước", "State budget"),
        Code("socialised", "Nguồn lực xã hội hóa", "Socialised resources"),
        Code("international", "Viện trợ quốc tế", "International"),
        Code("family", "Gia đình tự chi trả", "Family"),
    ]
}


class Stage(LabelledEnum):
    INTAKE = "intake"
    ASSESSMENT = "assessment"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    REVIEW = "review"
    CLOSED = "closed"


STAGES = labelled(
    Stage,
    (Stage.INTAKE, "Tiếp nhận, xác minh", "Intake and verification"),
    (Stage.ASSESSMENT, "Đánh giá nhu cầu", "Needs assessment"),
    (Stage.PLANNING, "Lập kế hoạch hỗ trợ", "Support planning"),
    (Stage.IMPLEMENTATION, "Thực hiện kế hoạch", "Plan implementation"),
    (Stage.REVIEW, "Theo dõi, rà soát", "Monitoring and review"),
    (Stage.CLOSED, "Đóng hồ sơ", "Closed"),
)


class CaseStatus(LabelledEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


CASE_STATUSES = labelled(
    CaseStatus,
    (CaseStatus.ACTIVE, "Đang quản lý, hỗ trợ", "Active"),
    (CaseStatus.ON_HOLD, "Tạm dừng", "On hold"),
    (CaseStatus.CLOSED, "Đã đóng hồ sơ", "Closed"),
)


class RiskLevel(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IntakeSource(LabelledEnum):
    SELF = "self"
    FAMILY = "family"
    COMMUNITY = "community"
    COMMUNE_OFFICIAL = "commune_official"
    SCHOOL = "school"
    HOSPITAL = "hospital"
    POLICE = "police"
    HOTLINE_111 = "hotline_111"
    REFERRAL = "referral"
    OTHER = "other"


class ClosureReason(LabelledEnum):
    GOALS_MET = "goals_met"
    MOVED_AWAY = "moved_away"
    TRANSFERRED = "transferred"
    AGED_OUT = "aged_out"
    REFUSED_SERVICES = "refused_services"
    DECEASED = "deceased"
    OTHER = "other"


class DisabilitySeverity(LabelledEnum):
    MILD = "mild"
    SEVERE = "severe"
    VERY_SEVERE = "very_severe"


# The degrees of the Law on Persons with Disabilities 2010, art. 3(2).
DISABILITY_SEVERITIES = labelled(
    DisabilitySeverity,
    (DisabilitySeverity.MILD, "Khuyết tật nhẹ", "Mild disability"),
    (DisabilitySeverity.SEVERE, "Khuyết tật nặng", "Severe disability"),
    (DisabilitySeverity.VERY_SEVERE, "Khuyết tật đặc biệt nặng", "Very severe disability"),
)


class DisabilityType(LabelledEnum):
    MOBILITY = "mobility"
    HEARING_SPEECH = "hearing_speech"
    VISUAL = "visual"
    MENTAL = "mental"
    INTELLECTUAL = "intellectual"
    OTHER = "other"


# The six forms of the Law on Persons with Disabilities 2010, art. 3(1), in its words.
DISABILITY_TYPES = labelled(
    DisabilityType,
    (DisabilityType.MOBILITY, "Khuyết tật vận động", "Mobility (physical) disability"),
    (DisabilityType.HEARING_SPEECH, "Khuyết tật nghe, nói", "Hearing and speech disability"),
    (DisabilityType.VISUAL, "Khuyết tật nhìn", "Visual disability"),
    (DisabilityType.MENTAL, "Khuyết tật thần kinh, tâm thần", "Neurological or mental disability"),
    (DisabilityType.INTELLECTUAL, "Khuyết tật trí tuệ", "Intellectual disability"),
    (DisabilityType.OTHER, "Khuyết tật khác", "Other disability"),
)


class HivStatus(LabelledEnum):
    UNKNOWN = "unknown"
    NEGATIVE = "negative"
    POSITIVE = "positive"


HIV_STATUSES = labelled(
    HivStatus,
    (HivStatus.UNKNOWN, "Chưa rõ", "Unknown"),
    (HivStatus.NEGATIVE, "Âm tính", "Negative"),
    (HivStatus.POSITIVE, "Dương tính", "Positive"),
)

RISK_LEVELS = labelled(
    RiskLevel,
    (RiskLevel.LOW, "Thấp", "Low"),
    (RiskLevel.MEDIUM, "Trung bình", "Medium"),
    (RiskLevel.HIGH, "Cao", "High"),
    (RiskLevel.CRITICAL, "Khẩn cấp", "Critical"),
)
INTAKE_SOURCES = labelled(
    IntakeSource,
    (IntakeSource.SELF, "Tự tìm đến", "Self"),
    (IntakeSource.FAMILY, "Gia đình báo tin", "Family"),
    (IntakeSource.COMMUNITY, "Cộng đồng phát hiện", "Community"),
    (IntakeSource.COMMUNE_OFFICIAL, "Cán bộ xã, phường", "Commune official"),
    (IntakeSource.SCHOOL, "Nhà trường", "School"),
    (IntakeSource.HOSPITAL, "Bệnh viện, cơ sở y tế", "Hospital"),
    (IntakeSource.POLICE, "Công an", "Police"),
    (IntakeSource.HOTLINE_111, "Tổng đài 111", "Child helpline 111"),
    (IntakeSource.REFERRAL, "Chuyển gửi từ cơ sở khác", "Referral"),
    (IntakeSource.OTHER, "Khác", "Other"),
)
CLOSURE_REASONS = labelled(
    ClosureReason,
    (ClosureReason.GOALS_MET, "Đạt mục tiêu hỗ trợ", "Goals met"),
    (ClosureReason.MOVED_AWAY, "Chuyển đi nơi khác", "Moved away"),
    (ClosureReason.TRANSFERRED, "Chuyển cơ sở khác quản lý", "Transferred"),
    (ClosureReason.AGED_OUT, "Hết tuổi trẻ em", "Aged out"),
    (ClosureReason.REFUSED_SERVICES, "Từ chối dịch vụ", "Refused services"),
    (ClosureReason.DECEASED, "Đã mất", "Deceased"),
    (ClosureReason.OTHER, "Lý do khác", "Other"),
)
