"""The registry of export formats: key → writer and what the export modal needs to know."""

from jobledger.exports.formats import (
    csv_generic,
    journal_beancount,
    myob_txt,
    qbd_iif,
    qbo_csv,
    sage50_uk_csv,
    sage50_us_csv,
    sage300_csv,
    sage300_xlsx,
    ubl_peppol,
    xero_csv,
)
from jobledger.exports.formats.base import ExportFormat

FORMATS: dict[str, ExportFormat] = {
    fmt.key: fmt
    for fmt in (
        csv_generic.FORMAT,
        qbd_iif.FORMAT,
        qbo_csv.FORMAT,
        sage50_us_csv.FORMAT,
        sage50_uk_csv.FORMAT,
        sage300_csv.FORMAT,
        sage300_xlsx.FORMAT,
        myob_txt.FORMAT,
        xero_csv.FORMAT,
        journal_beancount.FORMAT,
        ubl_peppol.FORMAT,
    )
}


def get_format(key: str) -> ExportFormat:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"“{key}” is not an export format.") from None
