"""Problems specific to courses and participations."""

from shared.errors import Conflict, NotFound


class CourseNotFound(NotFound):
    code = "course_not_found"
    title = "No such course in your scope"


class CourseCodeExists(Conflict):
    code = "course_code_exists"
    title = "A course with this code is already recorded"


class AlreadyParticipating(Conflict):
    code = "already_participating"
    title = "The worker is already registered on this course"
