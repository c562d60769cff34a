"""Placement in a real browser: a resident's profile and card to placed, a partner's opening
through its link approved by staff, and the outcome figures against a hand count."""

from pathlib import Path

import pytest
from django.core.management import call_command

from lms.fieldwork.models import HostOrganization
from lms.placement.models import Job, Opening, OpeningStatus
from lms.placement.services import partner_link_ensure

from .axe import axe_violations
from .conftest import NO_SIDEWAYS_SCROLL, VIEWPORTS, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, screenshot_dir, name, device):
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways on a {device}"
    assert axe_violations(page) == [], name
    page.screenshot(path=f"{screenshot_dir}/placement-{name}-{device}.png", full_page=True)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_resident_builds_a_profile_and_moves_a_card_to_placed(
    live_server, browser, screenshot_dir, device
):
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "aisha")
    page.goto(f"{live_server.url}/placement/")
    _check(page, screenshot_dir, "mine", device)

    page.get_by_role("link", name="Edit my profile").click()
    page.fill("#id_headline", "Community health worker turned web developer")
    page.fill("#id_skills", "Python, Django, pandas")
    page.fill("#id_portfolio_url", "javascript:alert(1)")
    page.get_by_role("button", name="Save my profile").click()
    page.get_by_text("Links have to start with http:// or https://.").wait_for()
    page.fill("#id_portfolio_url", "https://aisha.example.org")
    page.get_by_role("button", name="Save my profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.get_by_text("Community health worker turned web developer").is_visible()
    assert page.get_by_text("Repair-request tracker").first.is_visible(), "the field project"
    assert not page.get_by_text("Residency grades").count()
    _check(page, screenshot_dir, "profile", device)

    page.goto(f"{live_server.url}/placement/")
    page.locator("li[data-stage=interested] .job-card__title a").first.click()
    for stage in ("applied", "interviewing", "offer"):
        page.select_option("#id_stage", stage)
        page.get_by_role("button", name="Move").click()
        page.get_by_text("Moved to").wait_for()
    page.select_option("#id_stage", "placed")
    page.fill("#id_note", "Signed the offer!")
    page.get_by_role("button", name="Move").click()
    page.get_by_text("Record the job so it counts.").wait_for()
    page.fill("#id_start_date", "2099-01-01")
    page.get_by_role("button", name="Record the job").click()
    page.get_by_text("more than a year away").wait_for()
    page.select_option("#id_salary_band", "40k_55k")
    page.locator("#id_start_date").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    page.get_by_role("button", name="Record the job").click()
    page.get_by_text("Recorded: Junior web developer at Northside Community Food Bank.").wait_for()
    assert page.locator("li[data-stage=placed] .job-card").count() == 1
    _check(page, screenshot_dir, "mine-placed", device)
    job = Job.objects.get(resident__username="aisha")
    assert job.social_justice and job.partner.name == "Northside Community Food Bank"
    context.close()


def test_a_partner_sends_an_opening_and_staff_approve_it(live_server, browser, screenshot_dir):
    call_command("load_demo")
    partner = HostOrganization.objects.get(name="Cedar Hollow Tenants' Union")
    token = partner_link_ensure(organization=partner).token
    context = browser.new_context(viewport=VIEWPORTS["laptop"], bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/placement/partner/{token}/")
    page.fill("#id_title", "Organizing app developer")
    page.select_option("#id_kind", "software")
    page.fill("#id_salary_min", "65000")
    page.fill("#id_salary_max", "55000")
    page.fill("#id_contact_name", "Renée Okonkwo")
    page.fill("#id_contact_email", "renee@tenants.cedarhollow.example.org")
    page.get_by_role("button", name="Send the opening").click()
    page.get_by_text("The salary range runs backwards").wait_for()
    page.fill("#id_salary_max", "72000")
    page.get_by_role("button", name="Send the opening").click()
    page.get_by_text("reaches residents once staff approve it").wait_for()
    assert page.get_by_text("Waiting for staff").count() >= 1
    _check(page, screenshot_dir, "partner", "laptop")
    context.close()

    staff = browser.new_context(viewport=VIEWPORTS["laptop"], bypass_csp=True)
    page = staff.new_page()
    sign_in(page, live_server.url, "jordan")
    page.goto(f"{live_server.url}/placement/openings/")
    opening = Opening.objects.get(title="Organizing app developer")
    card = page.locator(f"li[data-opening='{opening.pk}']")
    _check(page, screenshot_dir, "openings-staff", "laptop")
    card.get_by_role("button", name="Approve").click()
    page.get_by_text("“Organizing app developer” is open to residents.").wait_for()
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.APPROVED
    staff.close()

    resident = browser.new_context(viewport=VIEWPORTS["phone"], bypass_csp=True)
    page = resident.new_page()
    sign_in(page, live_server.url, "marcus")
    page.goto(f"{live_server.url}/placement/openings/")
    assert page.get_by_role("link", name="Organizing app developer").is_visible()
    resident.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_staff_read_the_outcomes_that_match_a_hand_count(
    live_server, browser, screenshot_dir, device
):
    """Cohort 6: Tanisha starts 42 days after graduation at a partner, Ivy 75 days after at an
    insurer; Noor and Héctor are still looking. So 2 of 4 (50%) by day 90, median 58.5 days,
    1 of 2 at a social-justice organization; nobody asked about eight months yet."""
    call_command("load_demo")
    context = browser.new_context(viewport=VIEWPORTS[device], bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "jordan")
    page.goto(f"{live_server.url}/placement/")
    assert page.url.endswith("/placement/board/cohort-6/")
    assert (
        page.locator("[data-stage=applied] [data-person=hector] .badge").inner_text() == "Stalled"
    )
    assert page.locator("[data-stage=placed] [data-person]").count() == 2
    _check(page, screenshot_dir, "board", device)
    page.get_by_role("link", name="Outcomes").first.click()
    figure = lambda name: page.locator(f"[data-figure={name}]").inner_text()  # noqa: E731
    assert "50%" in figure("rate-90") and "2 of 4 graduates" in figure("rate-90")
    assert "58.5" in figure("median-days")
    assert "50%" in figure("social-justice") and "1 of 2 first jobs" in figure("social-justice")
    assert "—" in figure("retention")
    _check(page, screenshot_dir, "outcomes", device)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV for funders").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Cohort 6" in text and ",50," in text
    context.close()
