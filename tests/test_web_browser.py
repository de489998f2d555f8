"""The page in a real browser: `nis serve` on a free loopback port, driven in headless Chromium.

Uses the system's Chromium (Debian's `chromium`, installed by `make browser`) through
Playwright, never a browser download, and the copy of axe-core pinned in pyproject.toml. The
test is skipped, with a reason starting "BROWSER TEST SKIPPED", when no browser is there;
.ci/run repeats that reason loudly.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VAGUE = ROOT / "examples" / "isp-targeted-vague-provision.yaml"
CHROMIUM = Path(os.environ.get("NIS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AS_OF = "2030-06-01"

if not CHROMIUM.is_file():
    pytest.skip(f"BROWSER TEST SKIPPED: no Chromium at {CHROMIUM} (run `make browser`)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="BROWSER TEST SKIPPED: Playwright is not installed")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="BROWSER TEST SKIPPED: axe-playwright-python is not installed")
pytest.importorskip("fastapi", reason="BROWSER TEST SKIPPED: the web extra is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`nis serve` in its own process, as a school would run it; its log kept for the test."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    nis = Path(sys.executable).with_name("nis")
    with log.open("w") as out:
        process = subprocess.Popen([str(nis), "serve", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"nis serve stopped: {log.read_text()}")
                time.sleep(0.1)
        yield url, log
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def browser():
    """Chromium with a new, empty profile (Playwright makes one for each launch)."""
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


def check_the_flawed_plan(page, url: str) -> None:
    page.goto(url + "/")
    page.set_input_files("#document-file", str(VAGUE))
    page.fill("#as-of", AS_OF)
    with page.expect_navigation():
        page.get_by_role("button", name="Check the plan").click()


def assert_no_violations(page, where: str) -> dict:
    results = axe_playwright.Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"
    assert len(results.response["passes"]) >= 15, "axe ran too few rules to mean anything"
    return results.response


def test_a_flawed_plan_is_checked_without_javascript(server, browser, tmp_path):
    url, _ = server
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    check_the_flawed_plan(page, url)
    text = page.inner_text("main")
    # the verdict with the warnings counted
    assert "Meets the standards" in text and "3 recommendations not met" in text
    # each finding in plain English, with its citation and its fix
    vague = page.locator("#d0-f-ISP-PROVISION-SPECIFIC")
    assert "without vague wording" in vague.inner_text()
    assert "SEND Code of Practice (2015) para 9.69" in vague.inner_text()
    assert "What would put it right" in vague.inner_text()
    assert "Say how success will be measured" in page.locator("#d0-f-ISP-OUTCOME-MEASURABLE").inner_text()
    # the determinations with where to challenge them, and the full trace folded away
    assert "How to challenge" in page.locator(".card.s-decision").first.inner_text()
    assert page.locator("details.decision").count() >= 10
    assert page.locator("details.decision").first.get_attribute("open") is None
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (HTML)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "isp-targeted-vague-provision.report.html"
    assert "ISP-PROVISION-SPECIFIC" in saved.read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the result (JSON)").click()
    assert download.value.suggested_filename == "isp-targeted-vague-provision.result.json"
    context.close()


def test_the_pages_have_no_accessibility_violations(server, browser, tmp_path):
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url + "/")
    assert_no_violations(page, "the form")
    check_the_flawed_plan(page, url)
    assert "ISP-PROVISION-SPECIFIC" in page.inner_text("main")
    assert_no_violations(page, "the report")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    page.goto(url + "/?template=isp")
    with page.expect_navigation():
        page.get_by_role("button", name="Check the plan").click()
    assert "Line 5, column 4" in page.inner_text("main")
    assert_no_violations(page, "the problems")
    page.screenshot(path=str(tmp_path / "problems.png"))


def test_a_plan_can_be_checked_with_the_keyboard_alone(server, browser):
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the main content"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "document-text":
            break
    assert page.evaluate("document.activeElement.id") == "document-text"
    page.keyboard.insert_text(VAGUE.read_text(encoding="utf-8"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "as-of"
    page.keyboard.type("06012030")  # month, day, year: the control's order in this Chromium's en-US
    assert page.input_value("#as-of") == AS_OF
    for _ in range(5):  # past the date's parts and its calendar button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Check the plan":
            break
    assert page.evaluate("document.activeElement.textContent") == "Check the plan"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "read from pasted text" in page.inner_text("main")
    assert page.inner_text("header.envelope .meta").count("1 June 2030") == 1, page.inner_text("header.envelope")


def test_the_report_prints_without_the_form(server, browser, tmp_path):
    url, _ = server
    page = browser.new_page()
    check_the_flawed_plan(page, url)
    page.emulate_media(media="print")
    assert not page.is_visible(".downloads") and not page.is_visible(".again") and not page.is_visible(".site")
    assert page.is_visible("#d0-f-ISP-PROVISION-SPECIFIC")
    assert page.locator("details.decision").first.get_attribute("open") is None
    assert page.is_visible("details.decision .trace-body")  # every decision's reasoning prints open
    pdf = page.pdf(path=str(tmp_path / "report.pdf"))
    assert pdf.startswith(b"%PDF")


def test_the_server_log_holds_nothing_of_the_plan(server, browser):
    url, log = server
    page = browser.new_page()
    check_the_flawed_plan(page, url)
    text = log.read_text()
    assert "request_id=" in text and "route=/ " in text
    for private in ("C-2B91D", "Castlebrook", "calm down", "ISP-990377-0108"):
        assert private not in text
