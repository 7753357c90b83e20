"""Saying things in the brief's language: sentences from the catalogues, names of states, numbers,
shares, dates and lists written the way each language writes them (Babel's CLDR data).

Every sentence a generator writes is a msgid marked ``N_("…")`` in this package, so
``scripts/update-catalogs`` finds it and ``tests/test_i18n.py`` fails while it lacks a French or
Spanish translation. English msgids may put a state's name first; the translations are free to
build the sentence around it, which French and Spanish need (gender and articles of country names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from rightstrack.model.states import state_by_alpha3
from rightstrack.translation import DEFAULT, N_, gettext, label

# English names that take "the" (CLDR gives names without articles).
_ENGLISH_THE = frozenset(
    {"US", "GB", "NL", "PH", "AE", "BS", "GM", "CD", "CG", "CF", "DO", "KM", "MV", "MH", "SB", "SC"}
)


def upper_first(text: str) -> str:
    """A sentence that begins with a name such as "the United States" begins with a capital."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Phrases:
    lang: str = DEFAULT

    def say(self, msgid: str, **values: Any) -> str:
        return gettext(self.lang, msgid, **values)

    def count(self, one: str, many: str, n: int, **values: Any) -> str:
        """``one`` when ``n`` is 1, else ``many``, with ``%(n)s`` filled (the catalogues hold no
        plural forms; two msgids say the same)."""
        return self.say(one if n == 1 else many, n=self.number(n), **values)

    def recommendations(self, n: int) -> str:
        return self.count(N_("one recommendation"), N_("%(n)s recommendations"), n)

    def state(self, alpha3: str) -> str:
        """The state's short name in this language ("the United States", "États-Unis"), falling
        back on its UN name."""
        try:
            info = state_by_alpha3(alpha3)
        except KeyError:
            return alpha3
        name = Locale.parse(self.lang).territories.get(info.alpha2)
        if not name:
            return info.name
        return f"the {name}" if self.lang == "en" and info.alpha2 in _ENGLISH_THE else str(name)

    def states(self, codes: Sequence[str]) -> str:
        return self.join([self.state(c) for c in codes])

    def join(self, parts: Sequence[str], *, alternatives: bool = False) -> str:
        if not parts:
            return ""
        return str(format_list(list(parts), style="or" if alternatives else "standard", locale=self.lang))

    def number(self, n: int) -> str:
        return str(format_decimal(n, locale=self.lang))

    def share(self, part: int, whole: int) -> str:
        return str(format_percent(part / whole if whole else 0.0, locale=self.lang))

    def date(self, iso: str, precision: str | None = None) -> str:
        """A stored date (YYYY, YYYY-MM or YYYY-MM-DD) as people write it."""
        parts = [int(p) for p in iso.split("-")]
        if len(parts) == 1 or precision == "year":
            return str(parts[0])
        if len(parts) == 2 or precision == "month":
            return str(format_date(date(parts[0], parts[1], 1), "MMMM y", locale=self.lang))
        return str(format_date(date(parts[0], parts[1], parts[2]), "long", locale=self.lang))

    def response(self, response: str | None) -> str:
        return label(self.lang, "response", response or "none")

    def label(self, group: str, value: Any) -> str:
        return label(self.lang, group, value)

    def quoted(self, text: str) -> str:
        return self.say(N_("“%(text)s”"), text=text)
