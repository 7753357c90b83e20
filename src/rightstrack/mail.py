"""Sending e-mail: a ``Mailer`` interface, ``SmtpMailer`` for real servers and ``MemoryMailer``
where a test or a dry run wants to see what would be sent. Reminders (followup/reminders.py) and
notices (auth/notices.py) both go through it."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from rightstrack.settings import Settings


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass
class MemoryMailer:
    sent: list[EmailMessage] = field(default_factory=list)

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int = 25
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 30.0

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


def smtp_mailer(settings: Settings) -> SmtpMailer | None:
    """The configured mail server, or None when ``smtp_host`` is empty (mail is not set up)."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(
        str(settings.smtp_host),
        int(settings.smtp_port),
        str(settings.smtp_user),
        str(settings.smtp_password),
        bool(settings.smtp_starttls),
    )


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail.set_content(body)
    return mail
