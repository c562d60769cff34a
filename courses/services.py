"""Writes to the content tree: the site skeleton, authoring permissions, moderation, release dates."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.people.models import Role, User
from lms.people.services import role_group

from .models import LessonPage, ProgramHomePage, SeminarIndexPage
from .permissions import user_can_publish_page
from .selectors import lesson_date

STAFF_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
AUTHOR_PAGE_PERMISSIONS = ("add_page", "change_page")
STAFF_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}
AUTHOR_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "choose_image"),
    "wagtaildocs": ("add_document", "choose_document"),
}
STAFF_MODEL_PERMISSIONS = {
    "cohorts": ("add_cohort", "change_cohort", "delete_cohort", "view_cohort"),
    "people": ("add_user", "change_user", "view_user"),
}
MODERATION_WORKFLOW_NAME = "Staff review"
LESSONS_GO_LIVE_AT = datetime.time(8, 0)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _model_permissions(grants: dict) -> list[Permission]:
    return [
        _permission(app_label, codename)
        for app_label, codenames in grants.items()
        for codename in codenames
    ]


def _grant_page_permissions(group: Group, page: Page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _tree_root() -> Page:
    """Wagtail's root page, recreated (with the default locale) if a flushed database lost them."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _collection_root() -> Collection:
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def _grant_collection_permissions(group: Group, grants: dict) -> None:
    root = _collection_root()
    for app_label, codenames in grants.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=_permission(app_label, codename)
            )


@transaction.atomic
def role_permissions_ensure(*, home: Page) -> None:
    """Give each role its rights in the content tree.

    Staff may do everything under the home page and run cohorts and accounts
    from the admin. Guest instructors may enter
    the admin and upload images, but edit pages only where ``authoring_grant``
    gave them a place; residents and mentors never enter the admin.
    """
    access_admin = _permission("wagtailadmin", "access_admin")
    staff = role_group(role=Role.STAFF)
    staff.permissions.add(access_admin, *_model_permissions(STAFF_MODEL_PERMISSIONS))
    _grant_page_permissions(staff, home, STAFF_PAGE_PERMISSIONS)
    _grant_collection_permissions(staff, STAFF_COLLECTION_PERMISSIONS)
    guests = role_group(role=Role.GUEST_INSTRUCTOR)
    guests.permissions.add(access_admin)
    _grant_collection_permissions(guests, AUTHOR_COLLECTION_PERMISSIONS)
    role_group(role=Role.RESIDENT)
    role_group(role=Role.MENTOR)


@transaction.atomic
def moderation_workflow_ensure(*, home: Page) -> Workflow:
    """Route every page under the home page through a staff approval step before it is published."""
    workflow, _ = Workflow.objects.get_or_create(name=MODERATION_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name="Staff approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Staff approval")
    task.groups.set([role_group(role=Role.STAFF)])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def site_ensure(
    *, program_name: str, hostname: str = "localhost", port: int = 80
) -> ProgramHomePage:
    """Make the program home the site's root, with a seminar index, roles and moderation in place.

    Replaces Wagtail's placeholder welcome page on a fresh database; safe to run again.
    """
    home = ProgramHomePage.objects.first()
    root = _tree_root()
    if home is None:
        home = root.add_child(
            instance=ProgramHomePage(
                title=program_name,
                slug="residency",
                tagline="Sixteen weeks of code for the movements that need it.",
                intro=(
                    "<p>A full-time residency that trains people shut out of tech to build "
                    "software for social-justice organizations.</p>"
                ),
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    placeholder = site.root_page if site.pk else None
    site.root_page, site.hostname, site.port = home, hostname, port
    site.site_name = program_name
    site.save()
    if placeholder and placeholder.pk not in (home.pk, root.pk) and not placeholder.get_children():
        placeholder.delete()
    if not SeminarIndexPage.objects.exists():
        home.add_child(
            instance=SeminarIndexPage(
                title="Seminars",
                slug="seminars",
                intro="<p>Special topics for residents and alumni, taught by people doing the work.</p>",
            )
        )
    role_permissions_ensure(home=home)
    moderation_workflow_ensure(home=home)
    return home


def authors_group_name(page: Page) -> str:
    return f"Authors: {page.title} (page {page.pk})"


@transaction.atomic
def authoring_grant(*, user: User, page: Page) -> Group:
    """Let a guest instructor write lessons or seminars under one page, subject to staff review.

    Wagtail grants page rights to groups, so each granted page gets its own
    small group; staff see and edit these groups in the admin's Groups screen.
    """
    group, _ = Group.objects.get_or_create(name=authors_group_name(page))
    _grant_page_permissions(group, page, AUTHOR_PAGE_PERMISSIONS)
    user.groups.add(group)
    user.groups.add(role_group(role=Role.GUEST_INSTRUCTOR))
    return group


@transaction.atomic
def authoring_revoke(*, user: User, page: Page) -> None:
    group = Group.objects.filter(name=authors_group_name(page)).first()
    if group:
        user.groups.remove(group)


def lesson_release_time(*, lesson: LessonPage) -> datetime.datetime:
    """The moment a lesson goes live: 8 a.m. program time on its day."""
    week = lesson.get_parent().specific
    cohort = week.get_parent().specific.cohort
    day = lesson_date(cohort=cohort, week_number=week.number, weekday=lesson.weekday)
    return timezone.make_aware(datetime.datetime.combine(day, LESSONS_GO_LIVE_AT))


@transaction.atomic
def lesson_schedule_release(*, lesson: LessonPage, user: User | None = None) -> None:
    """Publish a lesson now if its day has come, or schedule it to go live on its day.

    Scheduled revisions are published by Wagtail's ``publish_scheduled``
    command, which the scheduler started by ``make run`` calls every minute.
    """
    release_at = lesson_release_time(lesson=lesson)
    if release_at <= timezone.now():
        lesson.go_live_at = None
        lesson.save_revision(user=user).publish(user=user)
        return
    lesson.go_live_at = release_at
    lesson.save_revision(user=user).publish(user=user)


def lesson_revision_keep_schedule(*, revision: Revision) -> None:
    """Stamp a lesson's release time on a revision written by someone who may not publish it.

    Staff approval in the "Staff review" workflow publishes the lesson's latest revision,
    and Wagtail schedules rather than publishes a revision whose go-live time is ahead. So
    a guest instructor's lesson, approved weeks early, opens at 8 a.m. on its day like the
    lessons around it; one whose day has come goes live on approval. Staff editing while
    they approve keep the time, which their form shows. People who may publish choose
    their own revisions' times, so staff can still open a lesson early.
    """
    model = revision.content_type.model_class()
    if revision.user is None or model is None or not issubclass(model, LessonPage):
        return
    lesson = revision.as_object()
    if user_can_publish_page(user=revision.user, page=lesson):
        return
    release_at = lesson_release_time(lesson=lesson)
    if release_at <= timezone.now() or (lesson.go_live_at and lesson.go_live_at >= release_at):
        return
    revision.content["go_live_at"] = release_at.astimezone(datetime.UTC)
