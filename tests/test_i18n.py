"""Vietnamese by default, English on request, and nothing left untranslated."""

from pathlib import Path

import polib
from django.urls import reverse

CATALOGUE = Path(__file__).resolve().parent.parent / "frontwelfare" / "locale" / "vi" / "LC_MESSAGES"


def test_login_page_speaks_vietnamese_by_default(client, db):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Tên đăng nhập" in body


def test_browser_language_does_not_override_the_vietnamese_default(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body


def test_language_switch_turns_pages_to_english_and_back(client, world):
    client.force_login(world.commune_officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Sign out" in body and "Commune officer" in body
    response = client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert "Đăng xuất" in body and "Cán bộ Mặt trận xã" in body


def test_language_can_be_switched_before_signing_in(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert "Username" in response.content.decode()


def test_every_string_has_a_vietnamese_translation():
    catalogue = polib.pofile(CATALOGUE / "django.po")
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert not untranslated, f"untranslated or fuzzy: {untranslated}"
    assert len(catalogue) > 100


def test_compiled_catalogue_matches_its_source():
    # Keyed by context too: "from" a step and "from" a day are two entries.
    source = {(entry.msgctxt, entry.msgid): entry.msgstr
              for entry in polib.pofile(CATALOGUE / "django.po") if entry.translated()}
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr
                for entry in polib.mofile(CATALOGUE / "django.mo") if entry.msgid}
    assert compiled == source, "run `make messages` to recompile django.mo"
