"""The residency landing page and a person's calendar and e-mail page, in a real browser."""

import pytest
from django.core.management import call_command

from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_calendar_page_reads_clearly_and_its_feed_downloads(
    live_server, browser, screenshot_dir, device
):
    """Does aisha find her feed address, what is coming up on it, and her e-mail choices?"""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.get_by_role("link", name="Residency", exact=True).click()
    page.wait_for_url("**/community/")
    page.screenshot(path=f"{screenshot_dir}/residency-{device}.png", full_page=True)
    page.locator(".section-card a", has_text="Calendar").click()
    address = page.input_value("#feed-url")
    assert address.startswith(live_server.url) and address.endswith(".ics")
    assert page.locator(".agenda li").count() >= 3, "class days, lessons and due dates ahead"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"{screenshot_dir}/calendar-{device}.png", full_page=True)
    feed = context.request.get(address)
    assert feed.ok and b"BEGIN:VCALENDAR" in feed.body()
    page.uncheck("input[value=due_soon]")
    page.click("text=Save e-mail choices")
    assert page.locator(".messages").inner_text().strip() == "Your e-mail choices are saved."
    assert not page.is_checked("input[value=due_soon]")
    context.close()
