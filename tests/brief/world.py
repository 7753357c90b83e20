"""A small world for briefs, written as code: recommendations to Chile over three UPR cycles (asks
made again, answered the same way or not), a few to the United States, treaty status of four
states for two instruments, engagement events, a tracking workspace with public and private
commitments, and public cases of attacks on defenders.

The texts are written for the tests, not copied from UN documents; the cycle links are made by hand
so that which asks repeat which is certain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from rightstrack.auth.accounts import User, create_user
from rightstrack.auth.roles import Role
from rightstrack.defenders import cases
from rightstrack.defenders.access import Viewer
from rightstrack.defenders.crypto import KdfParams, Secret, Vault, write_key_file
from rightstrack.engagement.events import add_event
from rightstrack.engagement.treaty_store import import_treaty_file
from rightstrack.followup.access import WorkspaceAccess, workspace_access
from rightstrack.followup.commitments import add_commitment
from rightstrack.followup.cycles import add_manual_link
from rightstrack.followup.model import (
    AssessmentCreate,
    AssessorType,
    CommitmentCreate,
    ImplementationStatus,
    Visibility,
    WorkspaceCreate,
    WorkspaceKind,
    WorkspaceRole,
)
from rightstrack.followup.progress import add_assessment
from rightstrack.followup.workspaces import create_workspace, set_member
from rightstrack.importing import import_file
from rightstrack.store import schema
from rightstrack.store.database import Database
from tests.conftest import Row, csv_bytes
from tests.engagement.conftest import hr_csv

PASSWORD = "a long enough password"
WOMEN = "Women's rights"
# Chile: one ask made in all three cycles and noted each time; one made twice, supported then noted.
ABORTION_1 = "Repeal the legal provisions that criminalise abortion in all circumstances."
ABORTION_2 = "Repeal the legal provisions that criminalise abortion in all circumstances, as a priority."
ABORTION_3 = "Decriminalise abortion in all circumstances and ensure access to safe services."
VIOLENCE_1 = "Adopt a comprehensive law against violence against women."
VIOLENCE_2 = "Adopt and implement a comprehensive law on violence against women and girls."
POLITICS = "Continue efforts to increase the participation of women in political life."
PARITY = "Consider establishing parity quotas for elected public office."
EQUAL_PAY = "Ensure equal pay for work of equal value between women and men."
OPTIONAL_PROTOCOL = (
    "Ratify the Optional Protocol to the Convention on the Elimination of Discrimination against Women."
)
JUDICIARY = "Continue to strengthen the independence of the judiciary."
CRC = "Ratify the Convention on the Rights of the Child."
DEATH_PENALTY = "Abolish the death penalty."
ICESCR = "Ratify the International Covenant on Economic, Social and Cultural Rights."

ROWS: tuple[Row, ...] = (
    ("Chile", "Norway", ABORTION_1, "Noted", "5", WOMEN, 5),
    ("Chile", "Canada", VIOLENCE_1, "Accepted", "4", f"{WOMEN},Violence against women", 5),
    ("Chile", "Sweden", ABORTION_2, "Noted", "5", WOMEN, 18),
    ("Chile", "Spain", VIOLENCE_2, "Noted", "4", f"{WOMEN},Violence against women", 18),
    ("Chile", "Mexico", POLITICS, "Accepted", "2", WOMEN, 18),
    ("Chile", "Cuba", JUDICIARY, "Accepted", "1", "Justice", 18),
    ("Chile", "Iceland", ABORTION_3, "Noted", "5", WOMEN, 32),
    ("Chile", "France", PARITY, "Accepted", "3", WOMEN, 32),
    ("Chile", "Uruguay", EQUAL_PAY, "Accepted", "4", WOMEN, 32),
    ("Chile", "Peru", OPTIONAL_PROTOCOL, "Noted", "5", f"{WOMEN},International instruments", 32),
    ("United States", "Norway", CRC, "Noted", "5", "International instruments", 9),
    ("United States", "Iran", DEATH_PENALTY, "Noted", "5", "Death penalty", 9),
    ("United States", "Ghana", ICESCR, "Accepted", "4", "International instruments", 9),
)
# iso2, member, party flag, year, signatory flag, no-action flag, status, note
ICCPR_ROWS = (
    ("US", "United States", "1", "1992", "0", "0", "state party", ""),
    ("CN", "China", "0", "", "1", "0", "signatory state", ""),
    ("RU", "Russia", "1", "1973", "0", "0", "state party", ""),
    ("CL", "Chile", "1", "1972", "0", "0", "state party", ""),
)
CRC_ROWS = (
    ("US", "United States", "0", "", "1", "0", "signatory state", ""),
    ("CN", "China", "1", "1992", "0", "0", "state party", ""),
    ("RU", "Russia", "1", "1990", "0", "0", "state party", ""),
    ("CL", "Chile", "1", "1990", "0", "0", "state party", ""),
)
KILLING, THREATS = "010101000000", "020103010000"
KILLINGS_IN_CHILE, THREATS_IN_CHILE = 6, 2  # the threats stay under the public report's minimum


@dataclass
class World:
    db: Database
    users: dict[str, User]
    key_file: Path
    slug: str = "chile-watch"
    other_slug: str = "elsewhere"

    def rec(self, text: str) -> int:
        with self.db.read() as conn:
            found = conn.scalar(
                select(schema.recommendations.c.id).where(schema.recommendations.c.text == text)
            )
        assert found is not None, text
        return int(found)

    def access(self, user: str | None, slug: str | None = None) -> WorkspaceAccess:
        with self.db.read() as conn:
            return workspace_access(conn, slug or self.slug, self.users[user] if user else None)


def build_world(db: Database, folder: Path) -> World:
    path = folder / "briefs.csv"
    path.write_bytes(csv_bytes(ROWS))
    import_file(db, path, link_cycles=False)
    for table, rows in (("iccpr", ICCPR_ROWS), ("crc", CRC_ROWS)):
        import_treaty_file(db, hr_csv(folder / f"hr_status_{table}.csv", rows))
    world = World(db, _users(db), folder / "master.key")
    for later, earlier in ((ABORTION_2, ABORTION_1), (ABORTION_3, ABORTION_2), (VIOLENCE_2, VIOLENCE_1)):
        add_manual_link(db, world.rec(later), world.rec(earlier), actor="tests")
    add_event(
        db,
        "USA",
        "withdrawal",
        "2018-06-19",
        target="the Human Rights Council",
        citation="Statement of 19 June 2018 (written for the tests)",
    )
    add_event(db, "CHL", "standing_invitation", "2009", citation="OHCHR list of standing invitations (tests)")
    _workspaces(world)
    _defenders(db, folder)
    return world


def _users(db: Database) -> dict[str, User]:
    roles = {
        "admin": Role.ADMIN,
        "owner": Role.EDITOR,
        "editor": Role.EDITOR,
        "contributor": Role.CONTRIBUTOR,
        "viewer": Role.VIEWER,
        "outsider": Role.EDITOR,
    }
    return {name: create_user(db, name, PASSWORD, role) for name, role in roles.items()}


def _workspaces(world: World) -> None:
    db, admin = world.db, world.users["admin"]
    create_workspace(
        db,
        WorkspaceCreate(slug=world.slug, name="Chile Watch", kind=WorkspaceKind.CIVIL_SOCIETY, state="CHL"),
        by=admin,
        owner="owner",
    )
    create_workspace(
        db,
        WorkspaceCreate(slug=world.other_slug, name="Elsewhere", kind=WorkspaceKind.NHRI, state="USA"),
        by=admin,
        owner="outsider",
    )
    owner = world.access("owner")
    for name, role in (
        ("editor", WorkspaceRole.EDITOR),
        ("contributor", WorkspaceRole.CONTRIBUTOR),
        ("viewer", WorkspaceRole.VIEWER),
    ):
        set_member(db, owner, name, role)
    claims = {
        EQUAL_PAY: [(AssessorType.GOVERNMENT, ImplementationStatus.FULLY)],
        OPTIONAL_PROTOCOL: [
            (AssessorType.GOVERNMENT, ImplementationStatus.FULLY),
            (AssessorType.CIVIL_SOCIETY, ImplementationStatus.NOT_IMPLEMENTED),
        ],
    }
    for text, assessed in claims.items():
        taken = add_commitment(
            db, owner, CommitmentCreate(recommendation_id=world.rec(text), visibility=Visibility.PUBLIC)
        )
        for kind, status in assessed:
            add_assessment(
                db,
                owner,
                taken,
                AssessmentCreate(
                    assessor_type=kind,
                    assessor="Ministry" if kind == AssessorType.GOVERNMENT else "Coalition",
                    status=status,
                    assessed_on=date(2022, 5, 1),
                    source="Mid-term statements (tests)",
                ),
            )
    # A private draft of the workspace: no brief may ever show it.
    add_commitment(db, owner, CommitmentCreate(recommendation_id=world.rec(ABORTION_3)))


def _defenders(db: Database, folder: Path) -> None:
    key = folder / "master.key"
    write_key_file(key)
    vault = Vault(db, [Secret.key_file(key)], KdfParams(time_cost=1, memory_kib=256, parallelism=1))
    vault.initialise()
    owner = Viewer("owner", Role.EDITOR)
    for act, count in ((KILLING, KILLINGS_IN_CHILE), (THREATS, THREATS_IN_CHILE)):
        for n in range(count):
            content = {
                "title": f"Case {act} {n}",
                "public_summary": "A case written for the tests.",
                "start_date": f"2019-{n + 1:02d}-01",  # one year: public figures count groups of 5+
                "country": "CHL",
                "acts": [{"act_type": act, "defender_status": ["community_leader"]}],
            }
            cases.create_case(db, vault, owner, content, sensitivity="public")
