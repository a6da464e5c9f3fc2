"""The backlog grid: tabs with counts, Filter Settings, Quick Filter, sort, pagination,
expandable rows and a selection that bulk actions take.

One component serves every backlog. A backlog describes itself in a `GridDefinition`
(its rows, tabs, filters, columns and actions); this module turns a query string into a
`GridState` and a state into a page, with a fixed number of queries whatever the page
size: the tab counts, then the page's rows. The counts double as the paginator's count,
so no separate COUNT runs.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.http import QueryDict
from django.template.loader import get_template
from django.urls import reverse

from jobledger.core.roles import AnyUser

PAGE_SIZES = (25, 50, 100, 250)
ALL_MATCHING = "all"


@dataclass(frozen=True)
class Tab:
    """A tab: the rows whose `count_by` field holds one of `values`, or those `condition`
    keeps (for the user looking: "My Forms" depends on who), or, with neither, every row."""

    key: str
    label: str
    values: tuple[str, ...] = ()
    condition: Callable[[AnyUser], Q] | None = None

    def rows(self, definition: "GridDefinition", user: AnyUser) -> Q:
        if self.values:
            return Q(**{f"{definition.count_by}__in": self.values})
        return self.condition(user) if self.condition else Q()


@dataclass(frozen=True)
class Filter:
    """One field of the Filter Settings panel."""

    key: str
    label: str
    kind: str  # "select", "text" or "date"
    condition: Callable[[Any], Q]
    choices: Callable[[], Sequence[tuple[str, str]]] | None = None

    # Turns the raw text into the value `condition` takes; raises ValueError with a sentence.
    parse: Callable[[str], Any] | None = None

    def clean(self, raw: str) -> Any:
        """The typed value of `raw`; raises ValueError with a sentence for a person."""
        if self.parse is not None:
            return self.parse(raw)
        if self.kind == "date":
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError:
                raise ValueError(f"{self.label}: “{raw}” is not a date.") from None
        return raw


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Fields to order by, ascending; None when the column does not sort.
    order: tuple[str, ...] | None = None
    numeric: bool = False
    # The order alone tells rows apart; others end with the primary key for a stable page.
    unique: bool = False


@dataclass(frozen=True)
class Action:
    """A bulk-action button; `needs_selection` buttons stay disabled until a row is checked."""

    key: str
    label: str
    icon: str
    url_name: str
    needs_selection: bool = True
    style: str = "primary"
    # "get" opens the modal with a form or a question; "post" acts at once.
    method: str = "get"


@dataclass(frozen=True)
class GridDefinition:
    key: str
    title: str
    url_name: str
    noun: str  # "invoice": the selection bar counts them
    rows: Callable[[], QuerySet[Any]]  # every row any tab can show
    tabs: tuple[Tab, ...]
    count_by: str  # the field whose values make up most tabs, counted in one GROUP BY
    filters: tuple[Filter, ...]
    quick_filter: Callable[[str], Q]
    quick_filter_hint: str
    columns: tuple[Column, ...]
    default_sort: str
    row_template: str
    detail_url_name: str
    actions: tuple[Action, ...] = ()
    # Shown at the top right of the toolbar (the Invoice Process Backlog's undo button).
    toolbar_template: str = ""
    # Adds what one page's rows show (joins), applied to the page alone.
    decorate: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda rows: rows
    # Sets what the page's rows show from other tables, in one query for the whole page.
    enrich: Callable[[list[Any]], None] = lambda rows: None
    default_page_size: int = 50

    @property
    def default_tab(self) -> str:
        return self.tabs[0].key

    def tab(self, key: str) -> Tab:
        return next((tab for tab in self.tabs if tab.key == key), self.tabs[0])

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.order), None)


@dataclass(frozen=True)
class GridState:
    """What the query string asks of the grid; every key is optional."""

    tab: str
    filters: dict[str, Any] = field(default_factory=dict)
    raw_filters: dict[str, str] = field(default_factory=dict)
    quick: str = ""
    sort: str = ""
    page: int = 1
    size: int = 50
    problems: tuple[str, ...] = ()

    def query(self, **changes: object) -> str:
        """This state as a query string, with `changes` applied (page resets unless given)."""
        state = replace(self, **({"page": 1} | changes))  # type: ignore[arg-type]
        params = QueryDict(mutable=True)
        params["tab"] = state.tab
        for key, value in state.raw_filters.items():
            params[key] = value
        if state.quick:
            params["q"] = state.quick
        if state.sort:
            params["sort"] = state.sort
        if state.page > 1:
            params["page"] = str(state.page)
        params["size"] = str(state.size)
        return params.urlencode()

    @property
    def selection_query(self) -> str:
        """Which rows "select all matching" means: the filters without sort or page."""
        return replace(self, sort="", page=1).query()


def parse_state(definition: GridDefinition, params: QueryDict) -> GridState:
    """Read the grid's state; a value that makes no sense is dropped and named in `problems`."""
    problems: list[str] = []
    filters: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for spec in definition.filters:
        value = params.get(spec.key, "").strip()
        if not value:
            continue
        try:
            filters[spec.key] = spec.clean(value)
        except ValueError as error:
            problems.append(str(error))
            continue
        raw[spec.key] = value
    return GridState(
        tab=definition.tab(params.get("tab", "")).key,
        filters=filters,
        raw_filters=raw,
        quick=params.get("q", "").strip()[:100],
        sort=_sort_key(definition, params.get("sort", "")),
        page=_positive(params.get("page"), 1),
        size=_page_size(params.get("size"), definition.default_page_size),
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class TabCount:
    key: str
    label: str
    count: int
    active: bool


@dataclass(frozen=True)
class GridPage:
    """One page of a grid. What the template reads is worked out once, on first use."""

    definition: GridDefinition
    state: GridState
    tabs: list[TabCount]
    page: Page

    @property
    def matching(self) -> int:
        """How many rows the active tab holds under the filters."""
        return self.page.paginator.count

    @cached_property
    def state_query(self) -> str:
        """The grid as it stands, page included: where an action returns to."""
        return self.state.query(page=self.page.number)

    @cached_property
    def url(self) -> str:
        return reverse(self.definition.url_name)

    @cached_property
    def back_url(self) -> str:
        return f"{self.url}?{self.state_query}"

    @cached_property
    def row_template(self) -> Any:  # a loaded template, which {% include %} takes as is
        """The backlog's row template, loaded once for the page's rows."""
        return get_template(self.definition.row_template)

    @cached_property
    def colspan(self) -> int:
        return len(self.definition.columns) + 2  # the checkbox and the expand triangle

    @cached_property
    def tab_links(self) -> list[tuple[TabCount, str]]:
        return [(tab, self.state.query(tab=tab.key)) for tab in self.tabs]

    @cached_property
    def page_links(self) -> list[tuple[object, str]]:
        """Page numbers around the current one, with gaps ("…") as Django elides them."""
        numbers = self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)
        return [
            (number, self.state.query(page=number) if isinstance(number, int) else "")
            for number in numbers
        ]

    @cached_property
    def size_choices(self) -> list[tuple[int, str]]:
        return [(size, self.state.query(size=size)) for size in PAGE_SIZES]

    @cached_property
    def filter_fields(self) -> list[dict[str, object]]:
        """The Filter Settings fields with their current values (and choices, read once)."""
        return [
            {
                "spec": spec,
                "value": self.state.raw_filters.get(spec.key, ""),
                "choices": spec.choices() if spec.choices else (),
            }
            for spec in self.definition.filters
        ]

    @cached_property
    def columns(self) -> list[dict[str, object]]:
        """The header cells, each with the link that sorts by it and its current direction."""
        sort, direction = self.state.sort.lstrip("-"), self.state.sort[:1]
        cells: list[dict[str, object]] = []
        for column in self.definition.columns:
            current = column.order is not None and column.key == sort
            descending = current and direction == "-"
            cells.append(
                {
                    "column": column,
                    "sorted": ("descending" if descending else "ascending") if current else "",
                    "query": self.state.query(
                        sort=column.key if descending or not current else f"-{column.key}"
                    ),
                }
            )
        return cells


def filtered_rows(definition: GridDefinition, state: GridState, user: AnyUser) -> QuerySet[Any]:
    """Every row of every tab that the filters and the Quick Filter let through."""
    condition = Q()
    for spec in definition.filters:
        if spec.key in state.filters:
            condition &= spec.condition(state.filters[spec.key])
    if state.quick:
        condition &= definition.quick_filter(state.quick)
    return definition.rows().filter(condition)


def matching_rows(definition: GridDefinition, state: GridState, user: AnyUser) -> QuerySet[Any]:
    """The rows of the active tab under the filters: what "select all N matching" takes."""
    tab = definition.tab(state.tab)
    return filtered_rows(definition, state, user).filter(tab.rows(definition, user))


def tab_counts(definition: GridDefinition, state: GridState, user: AnyUser) -> dict[str, int]:
    """Each tab's rows under the filters: one GROUP BY for the tabs made of `count_by`
    values (an index answers it), and one COUNT for each tab with a condition of its own."""
    rows = filtered_rows(definition, state, user)
    grouped = dict(
        rows.order_by()
        .values_list(definition.count_by)
        .annotate(n=Count("*"))  # the row itself: an index of `count_by` alone answers
        .values_list(definition.count_by, "n")
    )
    counts = {}
    for tab in definition.tabs:
        if tab.values:
            counts[tab.key] = sum(grouped.get(value, 0) for value in tab.values)
        elif tab.condition:
            counts[tab.key] = rows.filter(tab.condition(user)).count()
        else:
            counts[tab.key] = sum(grouped.values())
    return counts


def grid_page(definition: GridDefinition, state: GridState, user: AnyUser) -> GridPage:
    """The tabs with their counts and one page of the active tab: a fixed number of
    queries (the counts, the page, what the page's rows show from elsewhere), whatever the
    page size."""
    counts = tab_counts(definition, state, user)
    rows = definition.decorate(matching_rows(definition, state, user)).order_by(
        *_ordering(definition, state.sort)
    )
    paginator = Paginator(rows, state.size)
    paginator.count = counts[state.tab]  # known from the tab counts: no second COUNT
    page = paginator.get_page(state.page)
    page.object_list = list(page.object_list)
    definition.enrich(page.object_list)
    tabs = [
        TabCount(tab.key, tab.label, counts[tab.key], tab.key == state.tab)
        for tab in definition.tabs
    ]
    return GridPage(definition, state, tabs, page)


def selected_rows(
    definition: GridDefinition, params: QueryDict, user: AnyUser
) -> tuple[QuerySet[Any], bool]:
    """The rows a bulk action was sent: checked ids, or "all matching" sent as the filter
    (so rows beyond the page count too). Returns the rows and whether they came by filter."""
    if params.get("selection") == ALL_MATCHING:
        state = parse_state(definition, QueryDict(params.get("state", "")))
        return matching_rows(definition, state, user), True
    ids = {int(value) for value in params.getlist("ids") if value.isdigit()}
    return definition.rows().filter(pk__in=sorted(ids)), False


def ids_of(rows: QuerySet[Model]) -> list[int]:
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _ordering(definition: GridDefinition, sort: str) -> list[str]:
    key = sort or definition.default_sort
    descending = key.startswith("-")
    column = definition.column(key.lstrip("-"))
    assert column is not None  # parse_state keeps only sortable columns
    order = column.order or ()
    fields = [*order] if column.unique else [*order, "pk"]
    return [f"-{name}" if descending else name for name in fields]


def _sort_key(definition: GridDefinition, raw: str) -> str:
    return raw if definition.column(raw.lstrip("-")) else ""


def _positive(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else default


def _page_size(raw: str | None, default: int) -> int:
    size = _positive(raw, default)
    return size if size in PAGE_SIZES else default
