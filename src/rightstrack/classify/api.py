"""The classification API under /api/v1: recommendations like this one, and its previous-cycle ask.

Reading needs ``Permission.READ``. Unknown ids raise NotFound, which the app turns into its JSON
error shape.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from rightstrack.auth.roles import Permission
from rightstrack.classify.similar import similarity_index
from rightstrack.store.database import Database
from rightstrack.web.params import RecordId
from rightstrack.web.security import Guard


def classify_router(db: Database, guard: Guard) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["classification"])
    read = [Depends(guard.need(Permission.READ))]

    @router.get(
        "/recommendations/{record_id}/similar",
        summary="Recommendations like this one, and the same ask in the state's previous cycle",
        dependencies=read,
    )
    def api_similar(
        record_id: RecordId,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        same_state: Annotated[bool, Query(description="Only recommendations to the same state")] = False,
    ) -> dict[str, Any]:
        index = similarity_index(db)
        found = index.similar(record_id, limit=limit, same_state=same_state)
        counterpart = index.counterparts([record_id]).get(record_id)
        previous = None
        if counterpart is not None:
            row = index.row(counterpart.previous_id)
            previous = index.neighbour(row, counterpart.score).as_dict()
        return {"id": record_id, "similar": [n.as_dict() for n in found], "previous_cycle": previous}

    return router
