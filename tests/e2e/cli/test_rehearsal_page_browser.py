"""The rehearsal's page in a real browser (headless Chromium through chromedriver): it renders
without console errors, and picking a participant shows their DMs. CI installs Debian's
`chromium` and `chromium-driver` (.ci/run); without them this test is skipped, saying why."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

MISSING = "headless Chromium not installed (apt-get install chromium chromium-driver)"
if not (CHROMIUM and CHROMEDRIVER) and os.environ.get("REQUIRE_BROWSER"):  # CI: never skip
    raise RuntimeError(f"REQUIRE_BROWSER is set but {MISSING}")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason=MISSING)


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1800"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    yield driver
    driver.quit()


def test_the_page_renders_and_the_person_picker_shows_a_participants_dms(
    sample_run, browser, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(sample_run.page.as_uri())
    assert browser.title.startswith("Repetition: Digital partnerskapsdag")
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []

    picker = Select(browser.find_element(By.ID, "person-picker"))
    visible = [
        p for p in browser.find_elements(By.CSS_SELECTOR, "[data-person]") if p.is_displayed()
    ]
    assert len(visible) == 1  # one person's view at a time (the first in the list)

    html = sample_run.page.read_text(encoding="utf-8")
    user_id, name = re.search(
        r'<option value="(U\d{8})">([^<(]+?) \(Skellefteå kommun\)', html
    ).groups()
    picker.select_by_value(user_id)
    shown = [p for p in browser.find_elements(By.CSS_SELECTOR, "[data-person]") if p.is_displayed()]
    assert [p.get_attribute("data-person") for p in shown] == [user_id]
    feed = shown[0].text
    assert name in feed
    assert "Du är anmäld till" in feed  # the confirmation DM
    assert "Välkommen till" in feed  # the join link the day before
    assert "Förstahandsval" in feed  # the registration modal, as a modal
    modal = shown[0].find_element(By.CSS_SELECTOR, ".modal .modal-head")
    assert modal.is_displayed() and "Anmälan" in modal.text

    channel = Select(browser.find_element(By.ID, "channel-picker"))
    assert channel.first_selected_option.text.startswith("#partnerskapsdag-skelleftea")
    assert (
        "Om 5 min, kl. 08:15: Incheckning"
        in browser.find_element(By.CSS_SELECTOR, "[data-channel='c0']").text
    )
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []  # nor after picking
    assert browser.current_url.endswith(f"#person={user_id}")  # a link to this person's view

    browser.get("about:blank")
    browser.get(f"{sample_run.page.as_uri()}#person={user_id}")  # opened from such a link
    assert (
        Select(browser.find_element(By.ID, "person-picker")).first_selected_option.get_attribute(
            "value"
        )
        == user_id
    )
    shown = [p for p in browser.find_elements(By.CSS_SELECTOR, "[data-person]") if p.is_displayed()]
    assert [p.get_attribute("data-person") for p in shown] == [user_id]

    # the screenshot (the README's, with REHEARSAL_SCREENSHOT=docs/rehearsal-page.png): the view
    browser.execute_script("document.getElementById('person').scrollIntoView(); scrollBy(0, -40)")
    shot = Path(os.environ.get("REHEARSAL_SCREENSHOT") or tmp_path / "rehearsal-page.png")
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
