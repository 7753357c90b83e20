"""Turning query parameters into a SearchRequest: the one place the API and the pages parse them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from rightstrack.errors import InvalidInput
from rightstrack.settings import Settings
from rightstrack.store.search import SearchRequest

# "lang" picks the interface language of a page (web/i18n.py), never a facet.
_RESERVED = {"q", "sort", "page", "page_size", "facet", "lang"}

# Ids are 64-bit integers in both engines; anything larger is a bad request, not a server error.
RecordId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Recommendation id")]
Limit = Annotated[int, Query(ge=1, le=1000)]


def request_from_query(params: Any, settings: Settings) -> SearchRequest:
    """Every query parameter that is not q/sort/page/page_size/facet is a facet filter."""
    filters: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        if key not in _RESERVED and value != "":
            filters.setdefault(key, []).append(value)
    try:
        page = int(params.get("page", 1))
        page_size = int(params.get("page_size", settings.page_size))
    except ValueError:
        raise InvalidInput("page and page_size must be whole numbers") from None
    if page_size > int(settings.max_page_size):
        raise InvalidInput(f"page_size may be at most {settings.max_page_size}")
    return SearchRequest(
        q=params.get("q", ""),
        filters=filters,
        sort=params.get("sort") or None,
        page=page,
        page_size=page_size,
        facets=params.getlist("facet") or None,
        facet_size=int(settings.facet_size),
    )
