"""The city-workspace scenario as code: US recommendations on police use of force over three cycles,
a city human rights commission tracking them, and the people who work in it.

The texts are written for the tests (not copied from UN documents); the repeated ask in cycle 2
keeps most of the wording of cycle 1, as repeated UPR recommendations do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from rightstrack.auth.accounts import User, create_user
from rightstrack.auth.roles import Role
from rightstrack.followup.access import WorkspaceAccess, workspace_access
from rightstrack.followup.model import WorkspaceCreate, WorkspaceKind, WorkspaceRole
from rightstrack.followup.workspaces import create_workspace, set_member
from rightstrack.importing import import_file
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.conftest import Row, csv_bytes

PASSWORD = "correct horse battery staple"
USE_OF_FORCE_1 = (
    "Take effective measures to end the excessive use of force by law enforcement officials "
    "against members of racial and ethnic minorities."
)
USE_OF_FORCE_2 = (
    "Take effective measures to end the excessive use of force by law enforcement officials "
    "against members of racial and ethnic minorities, and hold those responsible to account."
)
STANDARDS_3 = "Adopt binding national standards on the use of lethal force by police officers."
ROWS: tuple[Row, ...] = (
    ("United States", "Ghana", USE_OF_FORCE_1, "Accepted", "4", "Racial discrimination,Justice", 9),
    (
        "United States",
        "Norway",
        "Ratify the Convention on the Rights of the Child.",
        "Noted",
        "5",
        "International instruments",
        9,
    ),
    ("United States", "Ghana", USE_OF_FORCE_2, "Accepted", "4", "Racial discrimination,Justice", 22),
    ("United States", "Sweden", STANDARDS_3, "Noted", "4", "Justice", 36),
)


@dataclass
class City:
    db: Database
    admin: User
    chair: User  # owner of the city workspace
    analyst: User  # editor
    ngo: User  # contributor (a civil-society partner)
    outsider: User  # owner of another workspace
    slug: str = "gotham-hrc"
    other_slug: str = "state-ngo"

    def access(self, user: User | None, slug: str | None = None) -> WorkspaceAccess:
        with self.db.read() as conn:
            return workspace_access(conn, slug or self.slug, user)

    def recommendation(self, text: str) -> int:
        with self.db.read() as conn:
            found = conn.scalar(
                select(schema.recommendations.c.id).where(schema.recommendations.c.text == text)
            )
        assert found is not None, text
        return int(found)


def import_rows(db: Database, folder: Path, rows: tuple[Row, ...] = ROWS) -> None:
    path = folder / "us-police.csv"
    path.write_bytes(csv_bytes(rows))
    import_file(db, path)


def build_city(db: Database, folder: Path) -> City:
    import_rows(db, folder)
    users = {
        name: create_user(db, name, PASSWORD, role)
        for name, role in (
            ("admin", Role.ADMIN),
            ("chair", Role.EDITOR),
            ("analyst", Role.EDITOR),
            ("ngo", Role.CONTRIBUTOR),
            ("outsider", Role.EDITOR),
        )
    }
    admin = users["admin"]
    create_workspace(
        db,
        WorkspaceCreate(
            slug="gotham-hrc",
            name="Gotham Human Rights Commission",
            kind=WorkspaceKind.CITY_COMMISSION,
            state="USA",
        ),
        by=admin,
        owner="chair",
    )
    create_workspace(
        db,
        WorkspaceCreate(
            slug="state-ngo",
            name="State Civil Liberties Union",
            kind=WorkspaceKind.CIVIL_SOCIETY,
            state="USA",
        ),
        by=admin,
        owner="outsider",
    )
    city = City(db, admin, users["chair"], users["analyst"], users["ngo"], users["outsider"])
    owner = city.access(city.chair)
    set_member(db, owner, "analyst", WorkspaceRole.EDITOR, "analyst@gotham.example")
    set_member(db, owner, "ngo", WorkspaceRole.CONTRIBUTOR, "ngo@partners.example")
    set_member(db, owner, "chair", WorkspaceRole.OWNER, "chair@gotham.example")
    return city


def add_city_actors(city: City) -> tuple[int, int]:
    """The city and its police department below it; returns their ids."""
    from rightstrack.followup.model import ActorCreate, ActorKind
    from rightstrack.followup.workspaces import add_actor

    owner = city.access(city.chair)
    top = add_actor(city.db, owner, ActorCreate(name="City of Gotham", kind=ActorKind.CITY))
    police = add_actor(
        city.db,
        owner,
        ActorCreate(name="Gotham Police Department", kind=ActorKind.CITY_AGENCY, parent_id=top),
    )
    return top, police
