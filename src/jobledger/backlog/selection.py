"""What a bulk action was sent: checked rows, or every row matching the grid's filters."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from jobledger.backlog.grid import (
    ALL_MATCHING,
    GridDefinition,
    GridState,
    ids_of,
    parse_state,
    selected_rows,
)


@dataclass(frozen=True)
class Selection:
    """The rows chosen, and the grid they were chosen on, to be sent on with every step of
    an action (the modal's forms repeat them) and to re-draw the grid afterwards."""

    rows: QuerySet[Any]
    by_filter: bool
    ids: tuple[int, ...]
    state: GridState
    state_query: str

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def mode(self) -> str:
        return ALL_MATCHING if self.by_filter else "ids"


def read_selection(definition: GridDefinition, request: HttpRequest) -> Selection:
    params: QueryDict = request.POST if request.method == "POST" else request.GET
    rows, by_filter = selected_rows(definition, params, request.user)
    state_query = params.get("state", "")
    return Selection(
        rows=rows,
        by_filter=by_filter,
        ids=tuple(ids_of(rows)),
        state=parse_state(definition, QueryDict(state_query)),
        state_query=state_query,
    )
