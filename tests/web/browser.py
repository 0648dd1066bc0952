"""A real server and a real headless Chromium (Debian's chromium and chromium-driver, which
`.ci/run` installs), driven by Selenium; axe-core (vendored) checks each page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("ITSS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ITSS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"  # ignored by git
WAIT = 30  # seconds: a page or a job that takes longer is a failure


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """`itss serve` in its own process, on its own port."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path


def serve(env: dict[str, str], log: Path) -> Iterator[Server]:
    port = free_port()
    command = [str(Path(sys.executable).with_name("itss")), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_for(port, process, log)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=WAIT)


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not listen within {WAIT} s")


def chromium(downloads: Path, profile: Path) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    return driver


@dataclass
class Browser:
    """One person's browser on the server, with the steps the journeys take."""

    driver: WebDriver
    server: Server

    def open(self, path: str) -> None:
        self.driver.get(self.server.url + path)

    def find(self, css: str) -> WebElement:
        try:
            return WebDriverWait(self.driver, WAIT).until(
                shown.presence_of_element_located((By.CSS_SELECTOR, css))
            )
        except TimeoutException:
            # What the page showed instead, for whoever reads the failure.
            SCREENSHOTS.mkdir(exist_ok=True)
            self.driver.save_screenshot(str(SCREENSHOTS / "failure.png"))
            (SCREENSHOTS / "failure.html").write_text(self.driver.page_source, encoding="utf-8")
            raise AssertionError(f"{css} not found on {self.driver.current_url}") from None

    def submit(self, css: str) -> None:
        """Click a button that sends a form, and wait for the page that answers."""
        self.driver.execute_script("window.itssOldPage = true")
        self.find(css).click()
        WebDriverWait(self.driver, WAIT).until(
            lambda d: d.execute_script(
                "return !window.itssOldPage && document.readyState === 'complete'"
            )
        )
        self.find("h1")

    def sign_in(self, username: str, password: str) -> None:
        self.open("/login")
        self.find("#username").send_keys(username)
        self.find("#password").send_keys(password)
        self.find("button.primary").click()
        WebDriverWait(self.driver, WAIT).until(lambda d: "/login" not in d.current_url)

    def sign_out(self) -> None:
        self.submit("form[action='/logout'] button")
        WebDriverWait(self.driver, WAIT).until(lambda d: "/login" in d.current_url)

    def language(self, lang: str) -> None:
        self.find(f"#language-choice option[value='{lang}']").click()
        self.submit("form[action='/language'] button")
        self.find(f"html[lang='{lang}']")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        height = self.driver.execute_script("return document.body.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, min(max(int(height) + 120, 600), 6000))
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(width, 900)
        return path

    def script_errors(self) -> list[str]:
        """What the page's console said of scripts that failed or of what the page's security
        policy refused, since the last time it was asked."""
        said = [
            str(e["message"]) for e in self.driver.execute("getLog", {"type": "browser"})["value"]
        ]
        return [m for m in said if "Content Security Policy" in m or "Uncaught" in m]

    def axe(self) -> list[dict[str, Any]]:
        """The serious and critical accessibility violations axe-core finds on the page."""
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        found = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done(JSON.stringify(r.violations)));"
        )
        violations: list[dict[str, Any]] = json.loads(found)
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
