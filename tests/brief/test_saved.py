"""Briefs saved in a workspace: who may save, read, publish and delete them; every save a version
with who and when; reworded points keep their citations, added ones are marked hand-written; a
stale version or a citation that does not resolve is refused and nothing is written."""

from __future__ import annotations

import pytest

from rightstrack.brief import saved
from rightstrack.brief.draft import draft_brief
from rightstrack.brief.model import BriefCreate, BriefRequest, BriefUpdate, Origin, Point, Section
from rightstrack.errors import Conflict, InvalidInput, LoginRequired, NotFound, PermissionDenied
from rightstrack.followup import lifecycle
from rightstrack.followup.model import Visibility
from tests.brief.world import WOMEN, World

MEMBERS = ("owner", "editor", "contributor", "viewer")
STRANGERS = ("outsider", "admin", None)  # another workspace's owner, the instance admin, a visitor


def _create(world: World, user: str | None, **changes: object) -> int:
    brief = draft_brief(world.db, BriefRequest(state="CHL", themes=[WOMEN]))
    data = BriefCreate(
        workspace=world.slug, title="Chile: women's rights", request=brief.request, points=brief.points
    )
    return saved.create_brief(world.db, world.users[user] if user else None, data.model_copy(update=changes))


def _read(world: World, user: str | None, brief_id: int) -> saved.BriefOut:
    with world.db.read() as conn:
        return saved.get_brief(conn, world.users[user] if user else None, brief_id)


def test_who_may_save_a_brief(world: World) -> None:
    for writer in ("owner", "editor", "contributor"):
        assert _create(world, writer) > 0
    for refused, error in (
        ("viewer", PermissionDenied),
        ("outsider", PermissionDenied),
        ("admin", PermissionDenied),
        (None, LoginRequired),
    ):
        with pytest.raises(error):
            _create(world, refused)
    with pytest.raises(PermissionDenied):  # a contributor drafts; publishing is for editors and up
        _create(world, "contributor", visibility=Visibility.PUBLIC)


def test_a_brief_is_private_until_published_and_versioned(world: World) -> None:
    brief_id = _create(world, "contributor")
    for member in MEMBERS:
        assert _read(world, member, brief_id).visibility == Visibility.PRIVATE
    for stranger in STRANGERS:
        with pytest.raises(NotFound):
            _read(world, stranger, brief_id)
    with world.db.read() as conn:
        assert [b["id"] for b in saved.list_briefs(conn, world.users["viewer"])] == [brief_id]
        assert saved.list_briefs(conn, world.users["outsider"]) == saved.list_briefs(conn, None) == []

    first = _read(world, "contributor", brief_id)
    points = [p.model_copy(update={"original": p.text}) for p in first.points]
    points[0] = points[0].model_copy(update={"text": "Chile was asked nine times about women's rights."})
    kept = [points[0], points[2], points[1], *points[3:]]  # two points swapped
    kept.append(
        Point(
            section=Section.TALKING_POINTS, text="Our coalition met the ministry.", origin=Origin.HAND_WRITTEN
        )
    )
    second = saved.update_brief(
        world.db, world.users["contributor"], brief_id, BriefUpdate(version=1, points=kept)
    )
    assert second.version == 2
    assert (
        second.points[0].origin == Origin.EDITED and second.points[0].citations == first.points[0].citations
    )
    assert second.points[0].original == first.points[0].text
    assert [p.text for p in second.points[1:3]] == [first.points[2].text, first.points[1].text]
    assert second.points[-1].origin == Origin.HAND_WRITTEN

    with pytest.raises(Conflict):  # someone saved in between
        saved.update_brief(
            world.db, world.users["editor"], brief_id, BriefUpdate(version=1, title="Old view")
        )
    with pytest.raises(PermissionDenied):
        saved.update_brief(
            world.db,
            world.users["contributor"],
            brief_id,
            BriefUpdate(version=2, visibility=Visibility.PUBLIC),
        )
    published = saved.update_brief(
        world.db, world.users["editor"], brief_id, BriefUpdate(version=2, visibility=Visibility.PUBLIC)
    )
    assert published.visibility == Visibility.PUBLIC and published.version == 3
    for stranger in STRANGERS:
        assert _read(world, stranger, brief_id).points == published.points
    with world.db.read() as conn:
        versions = saved.brief_versions(conn, world.users["viewer"], brief_id)
        assert [(v.version, v.action, v.by) for v in versions] == [
            (1, "create", "contributor"),
            (2, "update", "contributor"),
            (3, "update", "editor"),
        ]
        with pytest.raises(PermissionDenied):  # earlier versions may hold what was never published
            saved.brief_versions(conn, world.users["outsider"], brief_id)


def test_unsourced_or_stale_points_are_refused_and_nothing_is_written(world: World) -> None:
    brief_id = _create(world, "contributor")
    before = _read(world, "contributor", brief_id)
    stripped = [before.points[0].model_copy(update={"citations": []}), *before.points[1:]]
    stale = before.points[0].citations[0].model_copy(update={"value": 1000})
    changed = [before.points[0].model_copy(update={"citations": [stale]}), *before.points[1:]]
    for points, field in ((stripped, "points.0.citations"), (changed, "points.0.citations.0")):
        with pytest.raises(InvalidInput) as refused:
            saved.update_brief(
                world.db, world.users["contributor"], brief_id, BriefUpdate(version=1, points=points)
            )
        assert [p.field for p in refused.value.problems] == [field]
    assert _read(world, "contributor", brief_id) == before


def test_deleting_a_brief_is_reversible(world: World) -> None:
    brief_id = _create(world, "contributor")
    with pytest.raises(PermissionDenied):
        lifecycle.delete_record(world.db, world.access("viewer"), "brief", brief_id)
    lifecycle.delete_record(world.db, world.access("contributor"), "brief", brief_id)
    with pytest.raises(NotFound):
        _read(world, "owner", brief_id)
    with world.db.read() as conn:
        assert [r["label"] for r in lifecycle.deleted_records(conn, world.access("owner"))] == [
            "Chile: women's rights"
        ]
    lifecycle.restore_record(world.db, world.access("contributor"), "brief", brief_id, retention_days=30)
    assert _read(world, "owner", brief_id).title == "Chile: women's rights"
