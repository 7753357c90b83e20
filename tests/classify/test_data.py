"""The stand-in loader copes with the real exports' Mac Roman bytes and CR line endings."""

from __future__ import annotations

from pathlib import Path

from rightstrack.classify.data import Recommendation, load_uprinfo_rows, parse_issues, temporal_split

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"


def test_mac_roman_cr_export(tmp_path: Path) -> None:
    lines = [
        HEADER,
        'Peru,GRULAC,,"Ratify the Convention, caf\u00e9 clause.",Chile,GRULAC,,Accepted,5,'
        '"Justice,Women\'s rights",3',
        "Peru,GRULAC,,Continue efforts.,Spain,WEOG,EU,Noted,2,Detention,16",
        "Peru,GRULAC,,,Spain,WEOG,EU,Noted,2,Detention,16",
    ]
    (tmp_path / "1-5.csv").write_bytes("\r".join(lines).encode("mac_roman"))
    rows = load_uprinfo_rows(tmp_path)
    assert len(rows) == 2
    assert rows[0].text == "Ratify the Convention, caf\u00e9 clause."
    assert rows[0].issues == ("Justice", "Women's rights")
    assert rows[0].action == "5" and rows[0].session == 3 and rows[0].recommending_region == "GRULAC"
    split = temporal_split(rows)
    assert [len(split.train), len(split.validation), len(split.test)] == [1, 0, 1]


def test_parse_issues_dedups_and_sorts() -> None:
    assert parse_issues(" Labour ,Detention,Labour,") == ("Detention", "Labour")


def test_split_boundaries() -> None:
    rows = [Recommendation("t", (), None, s) for s in range(1, 18)]
    split = temporal_split(rows)
    assert [r.session for r in split.validation] == [13, 14]
    assert split.test[0].session == 15 and split.train[-1].session == 12
