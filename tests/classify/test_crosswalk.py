"""The issue -> UHRI / SDG crosswalk and the thematic-list reader (DOCX built in the test)."""

from __future__ import annotations

from pathlib import Path

import docx

from rightstrack.classify.crosswalk import ISSUE_CROSSWALK, map_issues, normalise_name, normalise_sdg
from rightstrack.classify.thematic import read_thematic_list

UPR_INFO_ISSUES = 54


def test_every_upr_info_issue_has_an_entry() -> None:
    assert len(ISSUE_CROSSWALK) == UPR_INFO_ISSUES
    assert all(sdg.isdigit() and 1 <= int(sdg) <= 17 for c in ISSUE_CROSSWALK.values() for sdg in c.sdgs)


def test_names_compare_across_cycles() -> None:
    assert normalise_name("A12 Acceptance of international norms") == "acceptance of international norms"
    assert normalise_name("Constitutional & legislative framework") == normalise_name(
        "Constitutional and legislative framework"
    )
    assert normalise_name("Right to education - General") == "right to education"
    assert normalise_sdg("16 - PEACE, JUSTICE AND STRONG INSTITUTIONS") == "16"


def test_map_issues_unions_and_ignores_unknown() -> None:
    mapped = map_issues(["Trafficking", "Women's rights", "Not an issue"])
    assert mapped.sdgs == {"5", "8", "16"}
    assert "women" in mapped.persons
    assert "prohibition of slavery, trafficking" in mapped.themes
    assert map_issues(["Other"]).themes == frozenset()


def test_read_thematic_list(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    header, group, row = table.rows
    for cell, value in zip(
        header.cells, ["Recommendation", "Position", "Full list of themes", "Notes"], strict=True
    ):
        cell.text = value
    for cell in group.cells:
        cell.text = "Theme: Acceptance of international norms"
    row.cells[0].text = "121.1 Ratify the Convention (France);\nSource of Position: A/HRC/43/15 - Para 121"
    row.cells[1].text = "Supported"
    row.cells[2].text = (
        "- Acceptance of international norms\n- Enforced disappearances\nSDGs: \n"
        "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS\nAffected persons: \n- Disappeared persons"
    )
    path = tmp_path / "list.docx"
    document.save(str(path))
    (item,) = read_thematic_list(path)
    assert item.text == "Ratify the Convention (France);"
    assert item.position == "Supported"
    assert item.themes == {"acceptance of international norms", "enforced disappearances"}
    assert item.sdgs == {"16"} and item.has_sdgs
    assert item.persons == {"disappeared persons"}
