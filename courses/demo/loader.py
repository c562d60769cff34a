"""Builds the demo residency. Every step looks for what is already there first, so it can run again."""

import datetime
import io
import tomllib
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from lms.cohorts.models import Cohort
from lms.cohorts.services import cohort_upsert, mentor_pair, resident_enroll
from lms.people.models import User
from lms.people.services import user_upsert

from ..models import (
    LessonPage,
    ProgramHomePage,
    SeminarIndexPage,
    SeminarPage,
    SyllabusPage,
    Weekday,
    WeekPage,
)
from ..services import authoring_grant, lesson_schedule_release
from . import people
from .seminars import SEMINARS

WEEKS_DIR = Path(__file__).parent / "weeks"
WEEKDAYS = {
    "mon": Weekday.MONDAY,
    "tue": Weekday.TUESDAY,
    "wed": Weekday.WEDNESDAY,
    "thu": Weekday.THURSDAY,
    "fri": Weekday.FRIDAY,
}
DEMO_CURRENT_WEEK = 6
COHORT_SLUG, ALUMNI_COHORT_SLUG = "cohort-7", "cohort-6"


def _monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def demo_start_date(today: datetime.date) -> datetime.date:
    """A start date that puts the demo cohort in week 6 (the coming week on weekends)."""
    focus = today if today.weekday() < 5 else today + datetime.timedelta(days=7 - today.weekday())
    return _monday_of(focus) - datetime.timedelta(weeks=DEMO_CURRENT_WEEK - 1)


def _email(username: str) -> str:
    return f"{username}@residency.example.org"


def _upsert_people(rows, kind: str) -> list[User]:
    return [
        user_upsert(
            username=username,
            email=_email(username),
            first_name=first,
            last_name=last,
            pronouns=pronouns,
            password=people.DEMO_PASSWORD,
            roles=people.ROLES_OF[kind],
        )
        for username, first, last, pronouns, *_ in rows
    ]


def load_people_and_cohorts(today: datetime.date) -> tuple[Cohort, dict[str, User]]:
    users = {}
    for rows, kind in (
        (people.STAFF, "staff"),
        (people.GUEST_INSTRUCTORS, "guest"),
        (people.MENTORS, "mentor"),
        (people.RESIDENTS, "resident"),
        (people.ALUMNI, "resident"),
    ):
        users.update({user.username: user for user in _upsert_people(rows, kind)})

    existing = Cohort.objects.filter(slug=COHORT_SLUG).first()
    start = existing.start_date if existing else demo_start_date(today)
    cohort = cohort_upsert(slug=COHORT_SLUG, name="Cohort 7", start_date=start)
    alumni_existing = Cohort.objects.filter(slug=ALUMNI_COHORT_SLUG).first()
    alumni_start = (
        alumni_existing.start_date if alumni_existing else start - datetime.timedelta(weeks=26)
    )
    alumni_cohort = cohort_upsert(slug=ALUMNI_COHORT_SLUG, name="Cohort 6", start_date=alumni_start)

    mentors = [users[row[0]] for row in people.MENTORS]
    for index, row in enumerate(people.RESIDENTS):
        resident_enroll(cohort=cohort, resident=users[row[0]])
        mentor_pair(cohort=cohort, mentor=mentors[index % len(mentors)], resident=users[row[0]])
    for index, row in enumerate(people.ALUMNI):
        resident_enroll(cohort=alumni_cohort, resident=users[row[0]])
        mentor_pair(
            cohort=alumni_cohort, mentor=mentors[index % len(mentors)], resident=users[row[0]]
        )
    return cohort, users


def _rich(text: str) -> str:
    return f"<p>{text}</p>"


def _block(raw: dict, images: dict) -> tuple[str, object]:
    kind = raw["type"]
    if kind == "markdown":
        return "markdown", raw["text"].strip()
    if kind == "code":
        return "code", {
            "language": raw.get("language", "python"),
            "caption": raw.get("caption", ""),
            "code": raw["code"].rstrip(),
        }
    if kind == "callout":
        return "callout", {
            "kind": raw.get("kind", "tip"),
            "title": raw.get("title", ""),
            "text": _rich(raw["text"]),
        }
    if kind == "video":
        return "video", {"video": raw["url"], "title": raw["title"], "transcript_url": ""}
    if kind == "notebook":
        return "notebook", {
            "assignment": raw["assignment"],
            "title": raw["title"],
            "description": raw.get("description", ""),
        }
    if kind == "image":
        image = images[raw["image"]]
        return "image", {"image": image, "alt_text": raw["alt"], "caption": raw.get("caption", "")}
    raise ValueError(f"Unknown demo block type {kind!r}")


def _day_schedule(lessons_by_day: dict[int, list[str]], field_project: bool) -> list:
    days = []
    for weekday in range(5):
        titles = lessons_by_day.get(weekday, [])
        morning = (
            titles[0]
            if titles
            else ("Field work with your partner" if field_project else "Practice lab")
        )
        afternoon = "Team build time" if field_project else "Lab: pair programming"
        if weekday == 4:
            afternoon = "Demos to the partner" if field_project else "Guest speaker and demos"
        sessions = [
            ((9, 0), (9, 30), "Stand-up and check-in", "standup"),
            ((9, 30), (12, 0), morning, "field" if field_project and not titles else "lesson"),
            ((12, 0), (13, 0), "Lunch", "break"),
            ((13, 0), (15, 30), afternoon, "field" if field_project else "pairing"),
            ((15, 30), (16, 30), "Office hours and code review", "review"),
            ((16, 30), (17, 0), "Retro and journaling", "review"),
        ]
        days.append(
            (
                "day",
                {
                    "weekday": str(weekday),
                    "sessions": [
                        {
                            "starts": datetime.time(*s),
                            "ends": datetime.time(*e),
                            "title": t,
                            "kind": k,
                        }
                        for s, e, t, k in sessions
                    ],
                },
            )
        )
    return days


def _diagram_images() -> dict:
    """A small JOIN diagram drawn with Pillow, so the demo shows an image block without network access."""
    Image = get_image_model()
    title = "Venn diagram of an INNER JOIN"
    image = Image.objects.filter(title=title).first()
    if image is None:
        canvas = PILImage.new("RGB", (960, 480), "#fbfaf7")
        draw = ImageDraw.Draw(canvas)
        font = ImageFont.load_default(size=30)
        draw.ellipse((180, 80, 520, 420), outline="#4b2fb8", width=6, fill="#e6e0fb")
        draw.ellipse((440, 80, 780, 420), outline="#0d6e66", width=6, fill="#d8efec")
        draw.chord((440, 80, 780, 420), 120, 240, fill="#b8acf0")
        draw.text((230, 235), "tenants", fill="#1c1a27", font=font)
        draw.text((640, 235), "buildings", fill="#1c1a27", font=font)
        draw.text((455, 235), "JOIN", fill="#1c1a27", font=font)
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        image = Image(title=title)
        image.file = ImageFile(buffer, name="inner-join-venn.png")
        image.save()
    return {"join-venn": image}


def _add_week(syllabus: SyllabusPage, data: dict, images: dict, staff: User) -> WeekPage:
    week = WeekPage.objects.child_of(syllabus).filter(number=data["number"]).first()
    if week:
        return week
    lessons_by_day: dict[int, list[str]] = {}
    for lesson in data["lessons"]:
        lessons_by_day.setdefault(WEEKDAYS[lesson["weekday"]], []).append(lesson["title"])
    week = syllabus.add_child(
        instance=WeekPage(
            title=data["title"],
            slug=f"week-{data['number']:02d}",
            number=data["number"],
            theme=data["theme"],
            summary=data["summary"].strip(),
            objectives=[("objective", text) for text in data["objectives"]],
            schedule=_day_schedule(lessons_by_day, field_project=data["number"] >= 13),
            owner=staff,
        )
    )
    week.save_revision(user=staff).publish(user=staff)
    return week


def _add_lessons(week: WeekPage, data: dict, images: dict, staff: User) -> None:
    for lesson_data in data["lessons"]:
        slug = slugify(lesson_data["title"])[:80]
        if LessonPage.objects.child_of(week).filter(slug=slug).exists():
            continue
        blocks = [_block(raw, images) for raw in lesson_data.get("blocks", [])]
        if data["number"] == 4 and lesson_data is data["lessons"][-1]:
            blocks.insert(
                1,
                _block(
                    {
                        "type": "image",
                        "image": "join-venn",
                        "alt": "Two overlapping circles, tenants and buildings; the overlap is the JOIN.",
                        "caption": "An INNER JOIN keeps only rows that match in both tables.",
                    },
                    images,
                ),
            )
        lesson = week.add_child(
            instance=LessonPage(
                title=lesson_data["title"],
                slug=slug,
                weekday=WEEKDAYS[lesson_data["weekday"]],
                summary=lesson_data.get("summary", ""),
                duration_minutes=lesson_data.get("duration_minutes", 90),
                body=blocks,
                live=False,
                owner=staff,
            )
        )
        lesson_schedule_release(lesson=lesson, user=staff)


def load_syllabus(cohort: Cohort, home: ProgramHomePage, users: dict[str, User]) -> SyllabusPage:
    staff = users["jordan"]
    syllabus = SyllabusPage.objects.filter(cohort=cohort).first()
    if syllabus is None:
        syllabus = home.add_child(
            instance=SyllabusPage(
                title=f"{cohort.name} syllabus",
                slug=cohort.slug,
                cohort=cohort,
                intro=(
                    "<p>Sixteen weeks from your first line of Python to a tool in the hands of a "
                    "partner organization. Lessons open at 8 a.m. on their day.</p>"
                ),
                owner=staff,
            )
        )
        syllabus.save_revision(user=staff).publish(user=staff)
    images = _diagram_images()
    for path in sorted(WEEKS_DIR.glob("week*.toml")):
        data = tomllib.loads(path.read_text())
        week = _add_week(syllabus, data, images, staff)
        _add_lessons(week, data, images, staff)
    return syllabus


def load_seminars(today: datetime.date, users: dict[str, User]) -> None:
    index = SeminarIndexPage.objects.get()
    for data in SEMINARS:
        if SeminarPage.objects.filter(slug=data["slug"]).exists():
            continue
        day = today + datetime.timedelta(days=data["days_from_today"])
        starts_at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(*data["starts"]))
        )
        speaker = users[data["speaker"]]
        seminar = index.add_child(
            instance=SeminarPage(
                title=data["title"],
                slug=data["slug"],
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=data["minutes"]),
                speaker_name=speaker.get_full_name(),
                speaker_bio=data["speaker_bio"],
                audience=data["audience"],
                location=data["location"],
                call_link=data["call_link"],
                summary=data["summary"],
                body=[("markdown", data["body"])],
                owner=speaker,
            )
        )
        seminar.save_revision(user=users["jordan"]).publish(user=users["jordan"])


def grant_demo_authoring(syllabus: SyllabusPage, users: dict[str, User]) -> None:
    """Amara writes the civic-tech week and seminars; Luis writes the APIs week."""
    weeks = {week.number: week for week in WeekPage.objects.child_of(syllabus)}
    authoring_grant(user=users["amara"], page=weeks[10])
    authoring_grant(user=users["amara"], page=SeminarIndexPage.objects.get())
    authoring_grant(user=users["luis"], page=weeks[9])
