"""Which stage may follow which: the Vietnamese case management process as data.

intake → assessment → planning → implementation → review, closing from any open stage,
review looping back to implementation or planning, and reopening a closed case into
assessment.
"""

from services.cases.reference.codes import Stage

ALLOWED_MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.INTAKE: (Stage.ASSESSMENT, Stage.CLOSED),
    Stage.ASSESSMENT: (Stage.PLANNING, Stage.CLOSED),
    Stage.PLANNING: (Stage.IMPLEMENTATION, Stage.ASSESSMENT, Stage.CLOSED),
    Stage.IMPLEMENTATION: (Stage.REVIEW, Stage.CLOSED),
    Stage.REVIEW: (Stage.IMPLEMENTATION, Stage.PLANNING, Stage.CLOSED),
    Stage.CLOSED: (Stage.ASSESSMENT,),
}

# What must already be on file before a case may enter a stage (from a given stage).
REQUIRED_BEFORE: dict[tuple[Stage, Stage], str] = {
    (Stage.INTAKE, Stage.ASSESSMENT): "initial_risk_assessment",
    (Stage.ASSESSMENT, Stage.PLANNING): "detailed_needs_assessment",
    (Stage.PLANNING, Stage.IMPLEMENTATION): "approved_plan",
    (Stage.REVIEW, Stage.IMPLEMENTATION): "approved_plan",
}


def allowed_from(stage: Stage) -> tuple[Stage, ...]:
    return ALLOWED_MOVES[stage]
