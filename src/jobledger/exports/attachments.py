"""The invoice PDFs that a format embeds (the e-invoice), fetched as the invoices stream
to its writer, a chunk at a time.

The PDFs come from the function `settings.INVOICE_PDF_FILES` names (the documents app's
`invoices_pdf_files`: file name and PDF for each invoice, in number order, cached), so
exports, which may not import documents, still embeds the very PDF people print.
"""

import dataclasses
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.utils.module_loading import import_string

from jobledger.core.models import CompanySettings
from jobledger.exports.formats.base import ExportFormat, InvoiceDoc
from jobledger.exports.reader import CHUNK
from jobledger.invoicing.models import Invoice


def with_pdfs(target: ExportFormat, docs: Iterator[InvoiceDoc]) -> Iterator[InvoiceDoc]:
    """The documents with their PDFs, when the format embeds them and the company wants it."""
    if not target.embeds_pdf or not CompanySettings.load().einvoice_pdf:
        yield from docs
        return
    pdf_files = import_string(settings.INVOICE_PDF_FILES)
    while chunk := list(islice(docs, CHUNK)):
        invoices = Invoice.objects.filter(number__in=[doc.number for doc in chunk])
        pdfs = (pdf for _name, pdf in pdf_files(invoices))
        for doc, pdf in zip(chunk, pdfs, strict=True):
            yield dataclasses.replace(doc, pdf=pdf)
