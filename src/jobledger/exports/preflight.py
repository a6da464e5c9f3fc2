"""Pre-flight: what keeps each chosen invoice out of an export, in words a person can act on.

`export_preflight` answers before anything is written, so a person can export the ready
invoices or cancel; the export service runs the same `Screen` over the invoices as they
stream to the writer, so the file and its checks come from one read of the database.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet

from jobledger.exports.errors import ExportError
from jobledger.exports.formats import get_format
from jobledger.exports.formats.base import ExportFormat, InvoiceDoc
from jobledger.exports.reader import ExportContext, ExportRow, export_rows
from jobledger.exports.selectors import EXPORTABLE_STAGES, selected_invoices, selection_rows
from jobledger.invoicing.models import Invoice, Stage
from jobledger.ledger import policies

SHOWN = 10  # problems named in a refusal's message; `problems` holds them all


def export_format(key: str) -> ExportFormat:
    try:
        return get_format(key)
    except KeyError as error:
        raise ExportError(str(error.args[0])) from None


@dataclass(frozen=True)
class Preflight:
    """What an export of the chosen invoices would do."""

    format_label: str
    # Invoice numbers that would go out, in order, and their ids.
    ready: tuple[int, ...]
    ready_ids: tuple[int, ...]
    # Invoice number → what keeps it out, each a sentence naming the invoice.
    problems: dict[int, tuple[str, ...]]
    # Left out because they went out before and were not included on purpose.
    already_exported: tuple[int, ...]

    @property
    def messages(self) -> list[str]:
        return [message for number in sorted(self.problems) for message in self.problems[number]]

    def refusal(self) -> str:
        """Why nothing was exported, naming the first problems and what to do next."""
        count, ready = len(self.problems), len(self.ready)
        shown = [self.problems[number] for number in sorted(self.problems)[:SHOWN]]
        listed = " ".join(message for messages in shown for message in messages)
        if count > SHOWN:
            listed += f" {count - SHOWN} more invoices have problems too."
        these = "this" if count == 1 else "these"
        if not ready:
            lead = "" if count == 1 else f": none of the {count} invoices can go out as they are"
            return f"Nothing was exported{lead}. {listed} Correct {these} and export again."
        held = "1 of the" if count == 1 else f"{count} of the"
        as_is = "it is" if count == 1 else "they are"
        rest = "the ready invoice" if ready == 1 else f"the {ready} ready invoices"
        return (
            f"Nothing was exported: {held} {count + ready} invoices cannot go out as {as_is}. "
            f"{listed} Export {rest} alone, or correct {these} and export again."
        )


@dataclass
class Screen:
    """Sorts invoices as they stream past on their way to a writer: the ready ones go on,
    the others are held back with their problems, already exported ones are set aside."""

    export_format: ExportFormat
    integration: bool
    include_already_exported: bool
    ready: list[tuple[int, int]] = field(default_factory=list)  # (id, number)
    problems: dict[int, tuple[str, ...]] = field(default_factory=dict)
    already_exported: list[int] = field(default_factory=list)
    # The customers of the ready invoices: two are enough to name the file "Multiple".
    customer_codes: set[str] = field(default_factory=set)

    def ready_docs(self, rows: Iterable[ExportRow]) -> Iterator[InvoiceDoc]:
        for row in rows:
            number = row.doc.number
            if row.exported and not self.include_already_exported:
                self.already_exported.append(number)
                continue
            found = invoice_problems(row, self.export_format, integration=self.integration)
            if found:
                self.problems[number] = tuple(found)
                continue
            self.ready.append((row.pk, number))
            if len(self.customer_codes) < 2:
                self.customer_codes.add(row.doc.customer.code)
            yield row.doc

    def result(self) -> Preflight:
        return Preflight(
            format_label=self.export_format.label,
            ready=tuple(number for _pk, number in self.ready),
            ready_ids=tuple(pk for pk, _number in self.ready),
            problems=self.problems,
            already_exported=tuple(self.already_exported),
        )


def export_preflight(
    *,
    format_key: str,
    invoice_ids: Iterable[int] | None = None,
    invoices: QuerySet[Invoice] | None = None,
    include_already_exported: bool = False,
) -> Preflight:
    """Check every chosen invoice for `format_key` without writing anything."""
    chosen = selection_rows(selected_invoices(invoice_ids=invoice_ids, invoices=invoices))
    context = ExportContext.load()
    screen = Screen(export_format(format_key), context.integration, include_already_exported)
    for _doc in screen.ready_docs(export_rows([row.pk for row in chosen], context)):
        pass
    return screen.result()


def invoice_problems(
    row: ExportRow, export_format: ExportFormat, *, integration: bool
) -> list[str]:
    """Everything that keeps one invoice out of this format, each a sentence that says
    what to do about it."""
    doc = row.doc
    name = f"Invoice {doc.number}"
    found = []
    if row.stage not in EXPORTABLE_STAGES:
        stage = Stage(row.stage).label
        found.append(f"{name} has not reached the Admin stage yet (it is in {stage}).")
    unapproved = integration and not row.approved
    if unapproved:
        found.append(
            f"{name}: the distribution is not approved; approve it on the Distribution page."
        )
    if not doc.customer.code.strip():
        found.append(
            f"{name}: customer {doc.customer.name} has no code; give the customer the code "
            "your accounting system knows."
        )
    if not doc.lines:
        found.append(f"{name} has no lines; add them before exporting it.")
    if not unapproved:  # approving checks the distribution; no need to say it twice
        found += _distribution_problems(row, name)
    found += [_sentence(name, message) for message in export_format.check(doc)]
    return list(dict.fromkeys(found))  # a problem found twice is named once


def _distribution_problems(row: ExportRow, name: str) -> list[str]:
    if row.unmapped:
        labels = [category.label for category, _amount in row.unmapped]
        them = "it" if len(labels) == 1 else "them"
        return [
            f"{name}: no GL account is mapped for {_and(labels)}; map {them} in the "
            "distribution settings."
        ]
    amounts = [gl.amount for gl in row.doc.distribution]
    if not amounts:
        return [f"{name} has no GL distribution; distribute it on the Distribution page."]
    if policies.is_satisfactory(amounts, row.doc.total):
        return []
    unbalanced = policies.unbalanced_amount(amounts)
    if unbalanced:
        return [
            f"{name}: the distribution does not balance (it is off by {unbalanced:,.2f}); "
            "correct it on the Distribution page."
        ]
    missing = policies.undistributed_amount(amounts, row.doc.total)
    return [
        f"{name}: {missing:,.2f} of the total is not distributed; correct the distribution "
        "on the Distribution page."
    ]


def _sentence(name: str, message: str) -> str:
    """A format's own problem, led by the invoice it is about and ending as a sentence."""
    text = message.strip()
    if not text.startswith(name) or text[len(name) : len(name) + 1].isdigit():
        text = f"{name}: {text}"
    return text if text.endswith((".", "!", "?")) else text + "."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
