"""Every page is sent with a Content-Security-Policy that runs scripts from this site only, and
no template served as a page holds what that policy refuses (tests/e2e/test_csp.py checks the
pages in Chromium)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path for folder in ("templates", "frontwelfare", "households", "housing")
    for path in (ROOT / folder).rglob("*.html")
    # PDFs are drawn by WeasyPrint from these, never served to a browser.
    if not path.name.endswith(".pdf.html")
)
REFUSED = {
    "a style attribute": re.compile(r"\sstyle="),
    "a style element": re.compile(r"<style"),
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "an event attribute": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "an eval'd htmx attribute": re.compile(r"hx-on|hx-vars|hx-vals=['\"]\s*(js|javascript):|hx-trigger=\"[^\"]*\["),
    "a javascript: link": re.compile(r"javascript:", re.IGNORECASE),
}


def test_pages_are_sent_with_a_policy_that_runs_only_the_sites_scripts(client, world):
    client.force_login(world.commune_officer)

    policy = client.get(reverse("households:list"))["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_login_and_error_pages_have_it_too(client, db):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_holds_what_the_policy_refuses(template):
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in REFUSED.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(ROOT)} has {', '.join(found)}: move it to a static file " \
        "(see frontwelfare/static/frontwelfare/csp.js)"
