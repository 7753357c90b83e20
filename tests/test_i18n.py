"""Interface languages: the catalogues cover every template message, and requests get their language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from rightstrack.importing import import_file
from rightstrack.store.database import Database
from rightstrack.web.app import create_app
from rightstrack.web.i18n import LOCALES, _negotiate, template_messages, translations

PLACEHOLDER = re.compile(r"%\(\w+\)s")


MessageId = str | tuple[str, str]


def _catalog(lang: str) -> dict[MessageId, tuple[str, ...]]:
    """msgid (a plural one as (singular, plural)) -> its translations (one per plural form)."""
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {
            (tuple(m.id) if isinstance(m.id, list | tuple) else m.id): (
                tuple(m.string) if isinstance(m.string, list | tuple) else (m.string,)
            )
            for m in read_po(po, locale=lang)
            if m.id
        }


def _placeholders(text: str) -> list[str]:
    # "%(num)s" is the number a plural message is chosen by: a language may leave it out of its
    # singular ("une mesure"), every other placeholder must be kept.
    return sorted(set(PLACEHOLDER.findall(text)) - {"%(num)s"})


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_interface_message_is_translated(lang: str) -> None:
    """Templates and the library's messages (rightstrack.messages: form labels, errors, the
    mid-term report) alike."""
    used = template_messages()
    catalog = _catalog(lang)
    assert len(used) > 100
    assert any(isinstance(m, tuple) for m in used) and "This is required." in used
    missing = sorted(str(m) for m in used if not all(catalog.get(m, ("",))))
    assert not missing, f"{lang}: untranslated (run scripts/update-catalogs, then translate): {missing}"
    assert not sorted(map(str, set(catalog) - set(used))), (
        "messages nothing uses (run scripts/update-catalogs)"
    )
    for msgid in used:  # a translation must keep the same named placeholders
        english = msgid if isinstance(msgid, str) else msgid[1]
        for translated in catalog[msgid]:
            assert _placeholders(translated) == _placeholders(english), msgid
    assert translations(lang).gettext("Search") != "Search"
    assert translations(lang).ngettext("%(num)s overdue measure", "%(num)s overdue measures", 1) != (
        "%(num)s overdue measure"
    )


def test_language_choice_order() -> None:
    assert _negotiate("es", "fr", "fr") == "es"
    assert _negotiate(None, "fr", "es") == "fr"
    assert _negotiate("xx", None, "de-DE,es;q=0.8,fr;q=0.9") == "fr"
    assert _negotiate(None, None, "de, en;q=0.1") == "en"
    assert _negotiate(None, None, "es;q=bad") == "en"


def test_pages_in_french_and_spanish(db: Database, sample_csv: Path) -> None:
    import_file(db, sample_csv, "upr-info")
    client = TestClient(create_app(db))
    french = client.get("/", params={"lang": "fr"}).text
    assert '<html lang="fr">' in french and "Rechercher des recommandations" in french
    # Stored English values shown through label(): facet titles and responses.
    assert ">Thèmes (UPR Info)</h2>" in french and ">notée</a>" in french
    spanish = client.get("/dashboard", headers={"Accept-Language": "es-MX,es;q=0.9"}).text
    assert '<html lang="es">' in spanish and "<h1>Panel</h1>" in spanish
    switched = client.get(
        "/language", params={"lang": "es", "next": "/states?lang=fr&x=1"}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/states?x=1"
    assert '<html lang="es">' in client.get("/states").text  # the cookie remembers the choice
    assert client.get("/language", params={"lang": "xx"}).status_code == 400
    away = client.get("/language", params={"lang": "fr", "next": "//evil.example/"}, follow_redirects=False)
    assert away.headers["location"] == "/"
