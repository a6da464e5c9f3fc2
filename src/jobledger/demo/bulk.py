"""Setting a few columns on thousands of rows at once."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Set `fields` on each row given as (pk, value, value, ...), in one executemany.

    `QuerySet.bulk_update` builds a CASE expression per row and field, which takes seconds
    for the few thousand timestamps the demo moves; a prepared UPDATE takes milliseconds.
    """
    columns = [_column(model, name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    key = quote(_column(model, "id").column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {key} = %s"
    params = [
        [
            column.get_db_prep_value(value, connection)
            for column, value in zip(columns, values, strict=True)
        ]
        + [pk]
        for pk, *values in rows
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
