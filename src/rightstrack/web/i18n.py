"""Interface languages in the web app: which language a request gets, and gettext for templates.

The catalogues themselves (``locales/*/LC_MESSAGES/messages.po``) and the labels of stored values
are in ``rightstrack.translation``, shared with the documents the library writes. The language
comes from ``?lang=``, then the ``rightstrack_lang`` cookie (set by ``/language``), then the
browser's Accept-Language header, then English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from rightstrack.translation import (
    DEFAULT,
    LANGUAGES,
    LOCALES,
    label,
    library_messages,
    translations,
)

# Re-exported: the language table and catalogues are what callers of the web layer know it by.
__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LOCALES",
    "choose_language",
    "install",
    "template_messages",
    "translations",
]

from rightstrack.messages import localise

COOKIE = "rightstrack_lang"


def choose_language(request: Request | None) -> str:
    """The request's language, remembered on the request so each page negotiates once."""
    if request is None:
        return DEFAULT
    chosen: str | None = getattr(request.state, "lang", None)
    if chosen is None:
        chosen = _negotiate(
            request.query_params.get("lang"),
            request.cookies.get(COOKIE),
            request.headers.get("accept-language", ""),
        )
        request.state.lang = chosen
    return chosen


def _negotiate(asked: str | None, cookie: str | None, accept: str) -> str:
    for candidate in (asked, cookie):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    weighted = []
    for position, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        weighted.append((-quality, position, tag.split("-")[0].strip().lower()))
    for _, _, tag in sorted(weighted):
        if tag in LANGUAGES:
            return tag
    return DEFAULT


# Jinja's "newstyle" gettext wraps every call in Markup and formats it even without variables,
# which doubled the render time of the search page; these do the same job (``_("%(n)s x", n=1)``)
# directly. The result is autoescaped like any other text.
@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:
    translated = translations(choose_language(context.get("request"))).gettext(message)
    return translated % variables if variables else translated


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
    translated = translations(choose_language(context.get("request"))).ngettext(singular, plural, n)
    return translated % {"num": n, **variables}


@pass_context
def _label(context: Context, group: str, value: Any) -> str:
    """``label("status", "no_action")`` → "no action" in the page's language; unknown values as they are."""
    return label(choose_language(context.get("request")), group, value)


@pass_context
def _tr(context: Context, value: object) -> str:
    """A library message (rightstrack.messages.Text) in the page's language; other values as they are."""
    return localise(value, translations(choose_language(context.get("request"))))


@pass_context
def _page_lang(context: Context) -> str:
    return choose_language(context.get("request"))


def install(templates: Jinja2Templates) -> None:
    """Give every template ``_()``, ``ngettext()``, ``{% trans %}``, ``label()``, ``tr()`` (library
    messages) and ``page_lang()``."""
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["page_lang"] = _page_lang
    env.globals["label"] = _label
    env.globals["tr"] = _tr
    env.globals["languages"] = LANGUAGES


def language_cookie(response: Any, lang: str, *, secure: bool = False) -> None:
    response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True, secure=secure)


MessageId = str | tuple[str, str]  # a plural message is (singular, plural)
Keywords = dict[str, tuple[int, int] | None]  # babel's extraction keywords: function -> argument spec
_PACKAGE = Path(__file__).parents[1]
_PYTHON_KEYWORDS: Keywords = {"msg": None, "msg_n": (1, 2)}
_JINJA_KEYWORDS: Keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}


def template_messages() -> dict[MessageId, list[str]]:
    """Every msgid the interface uses, with where it is used (what the catalogues must cover): the
    templates' ``_()`` / ``ngettext()``, the ``msg()`` / ``msg_n()`` calls of the package's Python
    modules (rightstrack.messages), and what ``translation.library_messages`` finds: the ``label()``
    tables and the ``N_()`` marks."""
    from babel.messages.extract import extract

    found: dict[MessageId, list[str]] = {k: v for k, v in library_messages().items()}  # labels, N_()
    templates = sorted((_PACKAGE / "web" / "templates").glob("*.html"))
    sources: list[tuple[Path, str, Keywords]] = [
        (p, "jinja2.ext:babel_extract", _JINJA_KEYWORDS) for p in templates
    ]
    sources += [(p, "python", _PYTHON_KEYWORDS) for p in sorted(_PACKAGE.rglob("*.py"))]
    for path, method, keywords in sources:
        options = {"trimmed": "true"} if method != "python" else {}
        with path.open("rb") as source:
            extracted = extract(method, source, keywords=keywords, options=options)
            for _, message, _, _ in extracted:
                key = _message_id(message)
                if key:
                    found.setdefault(key, []).append(str(path.relative_to(_PACKAGE)))
    return found


def _message_id(message: str | tuple[str | None, ...]) -> MessageId | None:
    if isinstance(message, str):
        return message or None
    if len(message) == 2 and message[0] and message[1]:
        return (message[0], message[1])
    return message[0] or None


def update_catalogs() -> dict[str, int]:
    """Add the interface's new msgids to each ``.po`` file (untranslated) and drop unused ones.

    Returns, per language, how many msgids still lack a translation.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog()
    for msgid, used_in in template_messages().items():
        template.add(msgid, locations=[(name, 0) for name in used_in])
    missing = {}
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="rightstrack")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        with path.open("wb") as po:
            write_po(po, catalog, omit_header=False, no_location=True, width=110)
        missing[lang] = sum(1 for m in catalog if m.id and not _translated(m.string))
    translations.cache_clear()
    return missing


def _translated(string: object) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)
