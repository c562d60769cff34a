"""Who may write or publish a page of the syllabus, on Wagtail's page permissions.

Staff hold edit and publish rights on the whole tree; a guest instructor is granted edit rights
under the pages staff gave them to write (``services.authoring_grant``), and their edits wait for
staff review. Who may *read* a page is ``selectors.page_visible_to``.
"""

from wagtail.models import Page

from lms.people.models import User


def user_can_edit_page(*, user: User, page: Page) -> bool:
    """Staff anywhere; a guest instructor under the pages granted to them (a week, say)."""
    return page.permissions_for_user(user).can_edit()


def user_can_publish_page(*, user: User, page: Page) -> bool:
    """Staff publish; a guest instructor's edits go through staff review instead."""
    return page.permissions_for_user(user).can_publish()
