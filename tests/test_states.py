"""The state table and name resolution: every spelling resolves, nothing is guessed."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from rightstrack.model.states import NameKind, RegionalGroup, all_states, classify_name, state_by_alpha3
from tests.conftest import SHARED_DATA, needs_shared_data


def test_193_members_and_two_observers() -> None:
    states = all_states()
    assert len(states) == 195
    assert sum(s.un_member for s in states) == 193
    assert {s.alpha3 for s in states if not s.un_member} == {"VAT", "PSE"}
    assert len({s.alpha3 for s in states}) == len({s.alpha2 for s in states}) == 195


def test_regional_groups() -> None:
    groups = Counter(s.regional_group for s in all_states() if s.un_member)
    # African 54, EEG 23 and GRULAC 33 as the UN lists them; WEOG's 28 plus the United States,
    # which attends WEOG and counts there for elections; Asia-Pacific's 53 plus Kiribati (since 2010).
    assert groups == {
        RegionalGroup.AFRICAN: 54,
        RegionalGroup.ASIA_PACIFIC: 54,
        RegionalGroup.EEG: 23,
        RegionalGroup.GRULAC: 33,
        RegionalGroup.WEOG: 29,
    }
    assert state_by_alpha3("PSE").regional_group is RegionalGroup.ASIA_PACIFIC
    assert state_by_alpha3("VAT").regional_group is None
    assert state_by_alpha3("TUR").regional_group is RegionalGroup.WEOG


@pytest.mark.parametrize(
    ("name", "alpha3"),
    [
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("USA", "USA"),
        ("US", "USA"),
        ("Iran", "IRN"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Russian Federation", "RUS"),
        ("Russia", "RUS"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Palestine", "PSE"),
        ("DPR Korea", "PRK"),
        ("Korea, Republic of", "KOR"),
        ("Macedonia FYR", "MKD"),
        ("Swaziland", "SWZ"),
        ("St Kitts & Nevis", "KNA"),
        ("Saint Vincent and the Grenadines", "VCT"),
        ("The Gambia", "GMB"),
        ("Democratic Republic of Congo", "COD"),
        ("Republic of Congo", "COG"),
        ("Congo", "COG"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("srilanka", "LKA"),
        ("GB", "GBR"),
        ("Holy See (Vatican City State)", "VAT"),
    ],
)
def test_spellings(name: str, alpha3: str) -> None:
    resolved = classify_name(name)
    assert resolved.kind is NameKind.STATE and resolved.state is not None
    assert resolved.state.alpha3 == alpha3


def test_non_states_territories_and_unknown() -> None:
    unknown = classify_name("&#40;Unknown&#41;")
    assert unknown.kind is NameKind.NON_STATE and unknown.label == "(unknown)"
    assert classify_name("European Union").kind is NameKind.NON_STATE
    kosovo = classify_name("Kosovo")
    assert kosovo.kind is NameKind.TERRITORY and kosovo.code == "XKX" and kosovo.state is None
    for name in ("Atlantis", "Maputo Protocol", "Gondor", "us"):
        found = classify_name(name)
        assert found.kind is NameKind.UNKNOWN and found.reason
    with pytest.raises(KeyError):
        state_by_alpha3("XXX")


def test_every_name_in_the_upr_info_exports_resolves() -> None:
    needs_shared_data()
    names: Counter[str] = Counter()
    for path in sorted((SHARED_DATA / "upr-info").glob("*-*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_bytes().decode("mac_roman"), newline="")):
            names.update([row["To"], row["From"]])
    kinds = {name: classify_name(name).kind for name in names}
    assert [n for n, k in kinds.items() if k not in (NameKind.STATE, NameKind.NON_STATE)] == []
    assert [n for n, k in kinds.items() if k is NameKind.NON_STATE] == ["&#40;Unknown&#41;"]


def test_every_state_in_the_treaty_and_defenders_files_resolves() -> None:
    needs_shared_data()
    unresolved = set()
    for path in sorted((SHARED_DATA / "treaties").glob("hr_status_*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            if classify_name(row["member"]).kind is NameKind.UNKNOWN:
                unresolved.add(row["member"])
    for path in sorted((SHARED_DATA / "defenders").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            if row["country"].strip() and classify_name(row["country"]).kind is NameKind.UNKNOWN:
                unresolved.add(row["country"])
    assert unresolved == set()
