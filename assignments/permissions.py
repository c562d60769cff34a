"""Who may author an assignment, read its grades, and follow a resident's progress.

Built on the core role predicates (``lms.people.permissions``), the cohorts' mentor pairings
(``lms.cohorts.permissions``) and the syllabus's page permissions (``courses.permissions``): a
guest instructor authors and reads grades only in the weeks staff gave them to write.
"""

from courses.models import WeekPage
from courses.permissions import user_can_edit_page
from lms.cohorts.models import Cohort
from lms.cohorts.permissions import user_mentors
from lms.people.models import User
from lms.people.permissions import user_is_guest_instructor, user_is_staff

from .models import Assignment


def user_can_add_to_week(*, user: User, week: WeekPage) -> bool:
    """Staff put assignments in any week; a guest instructor in the weeks they may edit."""
    return user_is_staff(user=user) or user_can_edit_page(user=user, page=week)


def user_can_edit_assignment(*, user: User, assignment: Assignment) -> bool:
    """Staff edit any assignment; a guest instructor those of the weeks staff gave them."""
    if user_is_staff(user=user):
        return True
    return assignment.week is not None and user_can_edit_page(user=user, page=assignment.week)


def gradebook_scope(*, user: User, cohort: Cohort) -> set[int] | None:
    """Which assignments' grades this person may read: all (None) for staff; for a guest
    instructor, those in the weeks staff gave them to write; otherwise none."""
    if user_is_staff(user=user):
        return None
    if not user_is_guest_instructor(user=user):
        return set()
    return {
        assignment.pk
        for assignment in Assignment.objects.filter(
            cohort=cohort, week__isnull=False
        ).select_related("week")
        if user_can_edit_page(user=user, page=assignment.week)
    }


def scope_allows(*, scope: set[int] | None, assignment: Assignment | None = None) -> bool:
    """Whether a ``gradebook_scope`` shows its reader anything at all or, given one, that
    assignment's grades."""
    if scope is None:
        return True
    return bool(scope) if assignment is None else assignment.pk in scope


def user_can_read_progress_of(*, user: User, resident: User) -> bool:
    """A resident's progress is for their mentors and staff (and themselves, on their own page)."""
    return user_is_staff(user=user) or user_mentors(mentor=user, resident=resident)
