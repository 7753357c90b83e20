"""The names people read for the values tracking stores ("not_implemented" is "Not implemented"),
one table for the pages, the forms' choices and the mid-term report, in every interface language
(each is a ``msg``)."""

from __future__ import annotations

from rightstrack.messages import Text, msg

TERMS: dict[str, Text] = {
    # implementation (UPR Info's scale) and who assesses it
    "fully": msg("Fully implemented"),
    "partially": msg("Partially implemented"),
    "not_implemented": msg("Not implemented"),
    "unknown": msg("Unknown"),
    "unassessed": msg("Not assessed"),
    "government": msg("Government"),
    "nhri": msg("National human rights institution"),
    "civil_society": msg("Civil society"),
    "un_mechanism": msg("UN mechanism"),
    # measures
    "planned": msg("planned"),
    "in_progress": msg("in progress"),
    "done": msg("done"),
    "cancelled": msg("cancelled"),
    # visibility
    "public": msg("public"),
    "private": msg("private"),
    # workspace roles
    "owner": msg("owner"),
    "editor": msg("editor"),
    "contributor": msg("contributor"),
    "viewer": msg("viewer"),
    # instance roles (admins only: the others read as the workspace roles do)
    "admin": msg("administrator"),
    # actors and workspaces
    "federal_agency": msg("federal agency"),
    "state_province": msg("state or province"),
    "state_agency": msg("state agency"),
    "county": msg("county"),
    "city": msg("city"),
    "city_agency": msg("city agency"),
    "other": msg("other"),
    "city_commission": msg("city commission"),
    "government_office": msg("government office"),
    "coalition": msg("coalition"),
    # indicator frequencies
    "monthly": msg("monthly"),
    "quarterly": msg("quarterly"),
    "half_yearly": msg("half-yearly"),
    "yearly": msg("yearly"),
    # dashboard rows and CSV kinds
    "Local pledges": msg("Local pledges"),
    "No lead actor": msg("No lead actor"),
    "commitments": msg("commitments"),
    "measures": msg("measures"),
    "assessments": msg("assessments"),
    # record types, as errors and the bin name them
    "actor": msg("actor"),
    "commitment": msg("commitment"),
    "measure": msg("measure"),
    "indicator": msg("indicator"),
    "progress": msg("progress report"),
    "assessment": msg("assessment"),
    "evidence file": msg("evidence file"),
    # workspace creation (followup.creation)
    "admins": msg("instance administrators only"),
    "editors": msg("editors and administrators"),
    "self_service": msg("anyone with an account, once an administrator approves"),
    "pending": msg("awaiting approval"),
    "active": msg("active"),
}


def term(value: object) -> str:
    """The name of a stored value (a ``msg``, so pages translate it); unknown values as they are."""
    text = str(value) if value is not None else ""
    if text.startswith("Cycle "):
        return msg("Cycle %(n)s", n=text[6:])
    return TERMS.get(text, text)
