"""Fixtures for the briefs: the small world of tests/brief/world.py on every storage backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.store.database import Database
from tests.brief.world import World, build_world


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world has six users; argon2 at its defaults would be most of the time spent building it.
    The accounts tests keep the real parameters."""
    from argon2 import PasswordHasher

    from rightstrack.auth import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    return build_world(db, tmp_path)
