"""The main journeys in a real headless Chromium against a real server: the engineer records
an engagement, sees the level change and submits; the manager attests and approves; the
skills office filters the skill map, downloads an export and imports a file with an error,
then a good one. Every main page is photographed in both languages (under screenshots/) and
checked by axe-core; the main forms are used with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from itss.services import assessments
from itss.services.context import Actor, Context
from itss.settings import Settings
from tests.organisation import PASSWORD, build_organisation
from tests.web.browser import WAIT, Browser, Server, chromium, serve
from tests.web.conftest import alice_as_in_the_example

pytestmark = pytest.mark.slow
FIELD = "itsm.operations-management"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(sqlite_template, folder / "itss.sqlite3")
    url = f"sqlite:///{folder / 'itss.sqlite3'}"
    settings = Settings(database_url=url, password_memory_kib=1024, password_time_cost=1)
    build_organisation(settings)
    alice_as_in_the_example(settings)
    with Context(settings, Actor("setup")) as ctx:
        assessments.assess_everyone(ctx, dt.date.today())
    env = os.environ | {
        "ITSS_DATABASE_URL": url,
        "ITSS_PASSWORD_MEMORY_KIB": "1024",
        "ITSS_PASSWORD_TIME_COST": "1",
    }
    yield from serve(env, folder / "server.log")


@pytest.fixture
def browser(server: Server, tmp_path: Path) -> Iterator[Browser]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads, tmp_path / "profile")
    try:
        yield Browser(driver, server)
    finally:
        driver.quit()


def _level(browser: Browser) -> int:
    return int(browser.find(f"[data-field='{FIELD}']").get_attribute("data-provisional") or 0)


def _photograph(browser: Browser, name: str) -> None:
    """A screenshot in each language, and axe-core's verdict in each."""
    for lang in ("en", "ja"):
        browser.language(lang)
        assert browser.screenshot(f"{name}-{lang}").stat().st_size > 10_000
        assert browser.axe() == [], f"{name} ({lang})"
        assert browser.script_errors() == [], f"{name} ({lang})"


def test_the_engineer_records_an_engagement_sees_the_level_change_and_submits(
    browser: Browser,
) -> None:
    browser.sign_in("alice", PASSWORD)
    browser.find("h1")
    drawn = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => done([...document.fonts].some(f =>"
        " f.family.includes('itss Noto Sans JP') && f.weight === '400'"
        " && f.status === 'loaded')));"
    )
    assert drawn is True  # the application's own Japanese font, not the device's
    before = _level(browser)
    _photograph(browser, "engineer-levels")
    browser.open("/people/alice/evidence")
    _photograph(browser, "engineer-evidence")
    browser.find("a[href='/people/alice/engagements/new']").click()
    _photograph(browser, "engineer-engagement-form")
    browser.find("#e-id").send_keys("retail-ops-2018")
    Select(browser.find("#e-field")).select_by_value(FIELD)
    checkbox = "input[value='itsm.operations-management.cx.structure']"
    browser.find(checkbox)  # htmx brought the field's own complexity items
    Select(browser.find("#e-role")).select_by_value("leader")
    browser.driver.execute_script(
        "document.getElementById('e-start').value = '2018-04-01';"
        "document.getElementById('e-end').value = '2021-03-31';"
    )
    browser.find("#m-headcount").send_keys("40")
    browser.find("#m-contract_value_yen").send_keys("380000000")
    for concept in ("operations-requirements", "infrastructure-requirements", "structure"):
        browser.find(f"input[value='{FIELD}.cx.{concept}']").click()
    browser.find("button[hx-post$='/what-if/engagement']").click()
    what_if = browser.find(f"#engagement-what-if [data-field='{FIELD}']")
    assert int(what_if.get_attribute("data-provisional") or 0) > before
    browser.submit("#engagement-form button[type='submit']")
    browser.find(".flash")
    assert _level(browser) > before
    browser.submit("form[action='/people/alice/submit'] button")
    assert "submitted" in browser.driver.current_url


def test_the_manager_attests_and_approves(browser: Browser) -> None:
    browser.sign_in("alice", PASSWORD)
    browser.open("/people/alice")
    browser.submit("form[action='/people/alice/submit'] button")
    browser.sign_out()
    browser.sign_in("bob", PASSWORD)
    _photograph(browser, "manager-queue")
    browser.find("a[href^='/reviews/']").click()
    browser.find("h1")
    _photograph(browser, "manager-review")
    attested = 0
    while browser.driver.find_elements(By.CSS_SELECTOR, "button[value='attested']"):
        browser.submit("button[value='attested']")
        attested += 1
    assert attested > 0
    browser.submit("form[action$='/approve'] button")
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "form[action$='/approve']")
    browser.sign_out()
    browser.sign_in("alice", PASSWORD)
    official = browser.find("main").text.split("\n")
    assert any(line.endswith(" bob") and " 4 " in line for line in official), "\n".join(official)


def _downloaded(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded")


def test_the_skills_office_filters_exports_and_imports(browser: Browser, tmp_path: Path) -> None:
    browser.sign_in("charlie", PASSWORD)
    browser.find("#skill-map")
    _photograph(browser, "office-skill-map")
    Select(browser.find("#unit")).select_by_value("web")
    browser.find("main form button[type='submit']").click()
    WebDriverWait(browser.driver, WAIT).until(lambda d: "unit=web" in d.current_url)
    names = [e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, "#skill-map tbody th")]
    assert names == ["山田 太郎"]  # alice, with the evidence of the example
    for page, name in (
        ("/people", "office-people"),
        ("/office/distribution", "office-distribution"),
        ("/office/gaps", "office-gaps"),
        ("/office/jobs", "office-jobs"),
        ("/framework", "framework"),
        (f"/framework/fields/{FIELD}/levels/4", "framework-level"),
    ):
        browser.open(page)
        browser.find("h1")
        _photograph(browser, name)

    browser.open("/office/imports")
    _photograph(browser, "office-imports")
    browser.find("a[href='/api/exports/evidence.xlsx']").click()
    exported = _downloaded(tmp_path / "downloads", ".xlsx")

    wrong = tmp_path / "people.csv"
    wrong.write_text("person_id,name,shoe_size\nx1,X,42\n", encoding="utf-8")
    browser.find("#import-files").send_keys(str(wrong))
    browser.find("form[action='/office/imports'] button").click()
    assert browser.find("#import-problems").is_displayed()
    _photograph(browser, "office-import-problems")

    browser.open("/office/imports")
    browser.find("#import-files").send_keys(str(exported))
    browser.find("form[action='/office/imports'] button").click()
    browser.find("#import-ok")
    browser.find("form[action$='/apply'] button").click()
    assert browser.find("#import-applied").is_displayed()


def _tab_to(browser: Browser, element_id: str, most: int = 80) -> None:
    """Press Tab until the element has the focus, as a person without a mouse would."""
    for _ in range(most):
        if browser.driver.switch_to.active_element.get_attribute("id") == element_id:
            return
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def _type(browser: Browser, *keys: str) -> None:
    ActionChains(browser.driver).send_keys(*keys).perform()


def test_signing_in_and_recording_a_contribution_with_the_keyboard_alone(browser: Browser) -> None:
    browser.open("/login")
    _photograph(browser, "login")
    _tab_to(browser, "username")
    _type(browser, "dave", Keys.TAB, PASSWORD, Keys.ENTER)
    browser.find(".field-level, h1")
    browser.open("/people/dave/evidence")
    _tab_to(browser, "activity-type")
    _type(browser, Keys.END)  # the last kind of contribution, chosen by key
    _type(browser, Keys.TAB, "06012024")  # the date field, typed as mm/dd/yyyy
    _tab_to(browser, "activity-title")
    _type(browser, "Keyboard paper", Keys.ENTER)
    browser.find(".flash")
    browser.open("/people/dave/evidence")
    assert "Keyboard paper" in browser.find("main").text
    browser.open("/people/dave/engagements/new")
    _tab_to(browser, "e-id")
    _type(browser, "by-keyboard")
    _tab_to(browser, "e-start")
    _type(browser, "04012020")
    _tab_to(browser, "e-end")
    _type(browser, "03312022")
    _tab_to(browser, "cx-1")
    _type(browser, Keys.SPACE)  # the field's first complexity item
    _tab_to(browser, "m-headcount")
    _type(browser, "12", Keys.ENTER)
    browser.find(".flash")
    browser.open("/people/dave/evidence")
    assert "by-keyboard" in browser.find("main").text
    browser.open("/people/alice")  # not dave's to see: the same page as for nobody
    _photograph(browser, "not-found")


def test_pages_fit_a_phone(browser: Browser) -> None:
    browser.sign_in("charlie", PASSWORD)
    browser.driver.set_window_size(390, 844)
    for path, name in (("/office/skill-map", "phone-skill-map"), ("/people/alice", "phone-levels")):
        browser.open(path)
        browser.find("h1")
        wide = browser.driver.execute_script("return document.documentElement.scrollWidth")
        assert int(wide) <= 390 + 1, name  # wide tables scroll inside their own box
        browser.driver.save_screenshot(str(browser.screenshot(name)))
