"""Reminders and digests: through a real SMTP server on loopback, once per day, to the right people."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from rightstrack.followup.commitments import add_commitment, add_measure
from rightstrack.followup.model import CommitmentCreate, MeasureCreate
from rightstrack.followup.reminders import send_reminders
from rightstrack.mail import MemoryMailer, SmtpMailer
from rightstrack.store.database import Database
from tests.followup.scenario import USE_OF_FORCE_2, City, build_city


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def city(db: Database, tmp_path: Path) -> City:
    city = build_city(db, tmp_path)
    analyst = city.access(city.analyst)
    commitment = add_commitment(
        db, analyst, CommitmentCreate(recommendation_id=city.recommendation(USE_OF_FORCE_2))
    )
    add_measure(
        db,
        analyst,
        commitment,
        MeasureCreate(
            title="Publish the use-of-force policy", due_on=date(2026, 1, 10), responsible_user="analyst"
        ),
    )
    add_measure(
        db,
        analyst,
        commitment,
        MeasureCreate(title="Name an independent monitor", due_on=date(2026, 2, 3), responsible_user="ngo"),
    )
    add_measure(db, analyst, commitment, MeasureCreate(title="Nobody's task", due_on=date(2026, 1, 1)))
    add_measure(
        db,
        analyst,
        commitment,
        MeasureCreate(title="Far away", due_on=date(2027, 1, 1), responsible_user="analyst"),
    )
    return city


def test_reminders_and_digest_go_through_smtp(city: City, smtp: tuple[_Inbox, int]) -> None:
    inbox, port = smtp
    summary = send_reminders(
        city.db,
        SmtpMailer("127.0.0.1", port),
        today=date(2026, 2, 1),
        sender="tracker@gotham.example",
        base_url="https://hr.gotham.example",
    )
    by_recipient = {m["To"]: m for m in inbox.messages if "digest" not in m["Subject"]}
    assert set(by_recipient) == {"analyst@gotham.example", "ngo@partners.example"}
    analyst = by_recipient["analyst@gotham.example"].get_payload(decode=True).decode()
    assert "Publish the use-of-force policy" in analyst and "overdue by 22 days" in analyst
    assert (
        "Far away" not in analyst
        and "https://hr.gotham.example/workspaces/gotham-hrc/commitments/" in analyst
    )
    assert "due 2026-02-03" in by_recipient["ngo@partners.example"].get_payload(decode=True).decode()
    digest = [m for m in inbox.messages if "digest" in m["Subject"]]
    assert [m["To"] for m in digest] == ["chair@gotham.example"]
    body = digest[0].get_payload(decode=True).decode()
    assert "Publish the use-of-force policy" in body and "Nobody's task" in body and "monitor" not in body
    assert summary.reminders == 2 and summary.digests == 1
    assert summary.without_address == ["gotham-hrc: measure 3 Nobody's task"]


def test_nothing_is_sent_twice_on_one_day(city: City) -> None:
    first, second, next_day = MemoryMailer(), MemoryMailer(), MemoryMailer()
    send_reminders(city.db, first, today=date(2026, 2, 1), sender="t@example.org")
    summary = send_reminders(city.db, second, today=date(2026, 2, 1), sender="t@example.org")
    send_reminders(city.db, next_day, today=date(2026, 2, 2), sender="t@example.org")
    assert len(first.sent) == 3 and second.sent == [] and summary.skipped_already_sent == 2
    assert len(next_day.sent) == 3


def test_remind_command_dry_run(city: City, tmp_path: Path) -> None:
    from rightstrack.cli import app

    url = city.db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        app, ["--database-url", url, "track", "remind", "--date", "2026-02-01", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "To: analyst@gotham.example" in result.output and "2 reminders, 1 digests" in result.output
