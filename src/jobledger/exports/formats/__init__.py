"""The registry of export formats: key → writer and what the export modal needs to know."""

from jobledger.exports.formats import csv_generic
from jobledger.exports.formats.base import ExportFormat

FORMATS: dict[str, ExportFormat] = {fmt.key: fmt for fmt in (csv_generic.FORMAT,)}


def get_format(key: str) -> ExportFormat:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"“{key}” is not an export format.") from None
