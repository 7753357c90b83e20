"""Small synthetic recommendations written as code: deterministic, no real data."""

from __future__ import annotations

TOPICS: dict[str, tuple[str, ...]] = {
    "Torture": ("torture", "ill-treatment in detention", "the Convention against Torture"),
    "Women": ("violence against women", "gender equality", "women's participation"),
    "Children": ("child labour", "the rights of the child", "birth registration of children"),
    "Press": ("freedom of the press", "the safety of journalists", "independent media"),
}
OPENINGS: dict[str, tuple[str, ...]] = {
    "2": ("Continue its efforts to strengthen", "Continue to promote"),
    "3": ("Consider ratifying instruments on", "Consider reviewing policies on"),
    "5": ("Ratify and implement legislation on", "Adopt a law on"),
}
STATES = ("Norway", "Chile", "Ghana", "Japan", "Peru", "Spain")


def make_rows(sessions: range = range(1, 9)) -> list[tuple[str, list[str], str, int]]:
    """(text, issues, action, session) tuples; some texts carry two issues."""
    rows: list[tuple[str, list[str], str, int]] = []
    labels = sorted(TOPICS)
    for session in sessions:
        for k, state in enumerate(STATES):
            for a, (action, openings) in enumerate(sorted(OPENINGS.items())):
                first = labels[(session + k + a) % len(labels)]
                second = labels[(session + 2 * k + a + 1) % len(labels)]
                phrase = TOPICS[first][(k + a) % 3]
                opening = openings[(session + k) % 2]
                if k % 2:
                    text = f"{opening} {phrase} and {TOPICS[second][session % 3]} ({state})."
                    issues = sorted({first, second})
                else:
                    text = f"{opening} {phrase} ({state})."
                    issues = [first]
                rows.append((text, issues, action, session))
    return rows
