"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

One Chromium per module, a fresh context (cookies, storage, viewport) per test. Every test
leaves a screenshot of its final page in ``test-results/<test-name>.png`` for a human to look at.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ..donations.support_factories import kind as nationwide_kind
from ..workers import celery_workers as celery_workers  # for the report pages: a real Celery worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content Security Policy refused ${event.blockedURI || "inline"} (${event.violatedDirective}) at `
  + `${event.sourceFile}:${event.lineNumber}: ${event.sample}`));"""
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: "
            "install it with `apt-get install chromium` (Playwright cannot download one here).",
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio loop in the test thread, and Django refuses ORM
    # calls from a thread with a running loop. The calls here are the tests' own setup and
    # teardown (factories, the flush after each transactional test), not code running inside
    # the loop. Only these modules get the exemption: the rest of the suite keeps the check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_server, transactional_db) -> Iterator[Page]:
    """A page in a fresh context, on a phone or a desktop screen.

    Every test runs on both; a test that only makes sense on one says so with
    ``@pytest.mark.parametrize("page", ["phone"], indirect=True)``.
    """
    # The flush after the previous browser test emptied the tables migrations fill: the kinds of
    # support the batch pages offer are put back.
    nationwide_kind()
    context = browser.new_context(
        base_url=live_server.url,
        # Many office phones are set to English: the interface must still open in Vietnamese
        # (ChosenLanguageMiddleware), so the browser asks for English on purpose.
        locale="en-US",
        viewport=VIEWPORTS[request.param],
        is_mobile=request.param == "phone",
        has_touch=request.param == "phone",
    )
    tab = context.new_page()
    # Whatever the Content-Security-Policy refuses (an inline script or style, an eval'd htmx
    # attribute) fails the test, whatever it checks: the page's violation events are written to
    # the console (this script is the browser's, which the policy does not apply to), and an
    # eval refused inside a handler surfaces as an uncaught error.
    refused = []
    tab.add_init_script(CSP_REPORTER)
    tab.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
           else None)
    tab.on("pageerror", lambda error: refused.append(str(error)) if "Content Security Policy" in str(error)
           else None)
    yield tab
    results = request.config.rootpath / "test-results"
    results.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    tab.screenshot(path=results / f"{name}.png", full_page=True)
    context.close()
    assert not refused, "the Content-Security-Policy refused: " + "\n".join(refused)


@pytest.fixture
def snap(request, page) -> Callable[[str], Path]:
    """``snap("label")`` saves the whole page as ``test-results/<test-name>-<label>.png``, for
    the steps of a long scenario that a human should look at besides its final page."""
    results = request.config.rootpath / "test-results"
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def take(label: str) -> Path:
        results.mkdir(exist_ok=True)
        path = results / f"{name}-{label}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
