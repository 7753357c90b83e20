"""Decoding text files whose encoding nobody wrote down.

UPR Info's exports are a case in point: documented as latin-1, they are in fact Mac Roman (byte
0x8e is "é" in "Habré"). We take UTF-8 when it decodes, and otherwise score the 8-bit candidates
by how many of their high characters are ordinary letters inside words.
"""

from __future__ import annotations

import re

from rightstrack.errors import ImportFailed, Problem

CANDIDATES = ("cp1252", "mac_roman", "latin-1")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _score(text: str) -> int:
    score = 0
    for index, char in enumerate(text):
        if ord(char) < 128:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char.isalpha() and char.islower():
            score += 2 if (before.isalpha() or after.isalpha()) else 1
        elif char in "‘’“”–—…°":
            score += 1
        else:
            score -= 2
    return score


def decode_text(raw: bytes, filename: str, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding used)`` or raise ImportFailed saying where the bytes go wrong."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportFailed(f"{filename}: cannot decode as {encoding}: {exc}") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    control = _CONTROL.search(raw)
    if control:
        line = raw.count(b"\n", 0, control.start()) + raw.count(b"\r", 0, control.start()) + 1
        problem = Problem(
            "binary data where text was expected",
            filename,
            line=line,
            value=f"byte 0x{raw[control.start()]:02x} at offset {control.start()}",
        )
        raise ImportFailed(f"{filename}: not a text file (wrong encoding, or not a CSV at all)", [problem])
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = bytes(b for b in raw if b >= 128)[:20000]
    best: tuple[int, str] | None = None
    for name in CANDIDATES:
        try:
            sample = raw.decode(name)
        except UnicodeDecodeError:
            continue
        # Score only around the high bytes: the ASCII bulk says nothing about the encoding.
        score = _score(
            "".join(sample[m.start() - 1 : m.start() + 2] for m in re.finditer(r"[^\x00-\x7f]", sample))
        )
        if best is None or score > best[0]:
            best = (score, name)
    assert best is not None and high  # latin-1 decodes anything; high bytes exist or utf-8 had worked
    return raw.decode(best[1]), best[1]
