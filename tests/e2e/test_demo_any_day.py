"""The README's walk for residents through the demo, at both ends of a week, in a real browser.

The demo is built around the day it is loaded, so the clock is moved first: to 7 a.m. on a
Monday, before the week's lessons and its problem set open, and to 6 p.m. on the Friday,
an hour after the set was due. Aisha signs in and goes from the home page to this week's
Monday lesson, which carries the ps6 card, and to My progress. No hub is started: the walk
stops at the "Open in JupyterLab" link.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PS6 = "ps6-accessible-page"
PS6_TITLE = "Problem set 6: An accessible mutual-aid request page"
MONDAY_LESSON = "How the web works: HTTP"
FRIDAY_LESSON = "Accessibility: WCAG basics"
PS5_LESSON = "Designing a schema for people and participation"


def _program_time(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def _next_monday() -> datetime.date:
    """A Monday ahead of the real clock, so the browser keeps the cookies the server dates."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def _day(day: datetime.date) -> str:
    """A date as the LMS prints it in due times: "Fri Dec 11"."""
    return f"{day:%a %b} {day.day}"


def _open_this_week(page, base_url: str) -> None:
    """Home page, then "Open the week", as the README says."""
    page.goto(f"{base_url}/")
    expect(page.locator("h1")).to_have_text("Welcome, Aisha Bello")
    expect(page.locator(".card--feature")).to_contain_text("This week · week 6 of 16")
    page.get_by_text("Open the week").click()
    expect(page.locator("h1")).to_have_text("Web foundations")
    expect(page.locator(".hero .badge")).to_have_text("This week")


def _ps6_row(page, base_url: str):
    page.goto(f"{base_url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    expect(page.locator("h1")).to_have_text("My progress")
    row = page.locator(f'tr[data-assignment="{PS6}"]')
    expect(row).to_contain_text(PS6_TITLE)
    return row


def test_on_monday_before_eight_the_week_says_when_it_opens(live_server, browser, screenshot_dir):
    """At 7 a.m. Monday, does Aisha see when the lesson and ps6 open, and the card from 8?"""
    monday = _next_monday()
    friday = monday + datetime.timedelta(days=4)
    with time_machine.travel(_program_time(monday, 7), tick=True) as traveller:
        call_command("load_demo")
        with signed_in(browser, live_server.url, "aisha") as page:
            page.goto(f"{live_server.url}/")
            today = page.locator(".card", has=page.get_by_role("heading", name="Today"))
            expect(today).to_contain_text(MONDAY_LESSON)
            expect(today).to_contain_text("Opens Mon 8:00 AM")
            expect(today.get_by_role("link", name=MONDAY_LESSON)).to_have_count(0)

            _open_this_week(page, live_server.url)
            lesson = page.locator("li.item", has_text=MONDAY_LESSON)
            expect(lesson).to_contain_text("Opens Mon 8:00 AM")
            expect(lesson.get_by_role("link")).to_have_count(0)

            row = _ps6_row(page, live_server.url)
            expect(row).to_contain_text(f"Opens {monday:%b} {monday.day}")
            expect(row).to_contain_text(f"{_day(friday)}, 5:00 PM")

            # Meanwhile, as the README says, last week's Monday lesson has ps5, open for late work.
            _open_this_week(page, live_server.url)
            page.get_by_role("navigation", name="Weeks").get_by_role("link", name="Week 5").click()
            page.get_by_role("link", name=PS5_LESSON).click()
            card = page.locator(".notebook-card")
            expect(card).to_contain_text("Problem set 5:")
            expect(card).to_contain_text(
                f"Due {_day(monday - datetime.timedelta(days=3))}, 5:00 PM"
            )
            expect(card.get_by_role("link", name="Open in JupyterLab")).to_be_visible()

            # At 8 a.m. the scheduler publishes the lesson, and the set opens with it.
            traveller.move_to(_program_time(monday, 8, 1))
            call_command("publish_scheduled", verbosity=0)
            _open_this_week(page, live_server.url)
            page.get_by_role("link", name=MONDAY_LESSON).click()
            expect(page.locator("h1")).to_have_text(MONDAY_LESSON)
            card = page.locator(".notebook-card")
            expect(card).to_contain_text(PS6_TITLE)
            expect(card).to_contain_text(f"Due {_day(friday)}, 5:00 PM")
            expect(card).to_contain_text("Not submitted")
            expect(card.get_by_role("link", name="Open in JupyterLab")).to_have_attribute(
                "href", f"{settings.LMS_HUB_URL}/hub/spawn?next=/hub/user-redirect/lms/open/{PS6}"
            )
            page.screenshot(path=f"{screenshot_dir}/demo-monday-8am-lesson.png", full_page=True)

            row = _ps6_row(page, live_server.url)
            expect(row).to_contain_text("Not submitted")


def test_on_friday_evening_the_card_is_on_this_weeks_monday_lesson(
    live_server, browser, screenshot_dir
):
    """At 6 p.m. Friday, is the ps6 card, due an hour ago, still where the README sends Aisha?"""
    friday = _next_monday() + datetime.timedelta(days=4)
    with time_machine.travel(_program_time(friday, 18), tick=True):
        call_command("load_demo")
        with signed_in(browser, live_server.url, "aisha") as page:
            page.goto(f"{live_server.url}/")
            today = page.locator(".card", has=page.get_by_role("heading", name="Today"))
            expect(today.get_by_role("link", name=FRIDAY_LESSON)).to_be_visible()

            _open_this_week(page, live_server.url)
            for title in (MONDAY_LESSON, "Semantic HTML and CSS", FRIDAY_LESSON):
                expect(page.get_by_role("link", name=title)).to_be_visible()
            page.get_by_role("link", name=MONDAY_LESSON).click()
            expect(page.locator("h1")).to_have_text(MONDAY_LESSON)
            card = page.locator(".notebook-card")
            expect(card).to_contain_text(PS6_TITLE)
            expect(card).to_contain_text(f"Due {_day(friday)}, 5:00 PM")
            expect(card).to_contain_text("Not submitted")
            expect(card.get_by_role("link", name="Open in JupyterLab")).to_be_visible()
            page.screenshot(path=f"{screenshot_dir}/demo-friday-6pm-lesson.png", full_page=True)

            row = _ps6_row(page, live_server.url)
            expect(row).to_contain_text(f"{_day(friday)}, 5:00 PM")
            expect(row).to_contain_text("Missing")
