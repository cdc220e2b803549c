"""Problems specific to plans."""

from shared.errors import Conflict, NotFound


class PlanNotFound(NotFound):
    code = "plan_not_found"
    title = "No such plan"


class PlanCodeExists(Conflict):
    code = "plan_code_exists"
    title = "A plan with this code exists"
