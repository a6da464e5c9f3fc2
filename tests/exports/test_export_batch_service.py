"""Export batches: what may go out, the file and its name, and the import confirmation."""

import csv
import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.exports.models import ExportBatch
from jobledger.exports.services import export_batch_confirm_import, export_batch_create
from jobledger.invoicing.models import Invoice, InvoicingPolicy, LineKind, Stage
from jobledger.invoicing.services import (
    LineInput,
    invoice_mark_paid,
    invoice_process,
    invoice_submit,
)
from jobledger.ledger.models import DistributionPolicy, LedgerSettings
from tests.factories import (
    CustomerFactory,
    JobFactory,
    approve_simple_distribution,
    labor_line,
    make_admin_invoice,
    make_invoice,
)

D = Decimal
UTC = datetime.UTC


@pytest.fixture
def approved(administrator, project_manager, job, accounts):
    """`approved(**invoice_kwargs)`: an Admin-tab invoice with an approved distribution."""

    def make(**kwargs) -> Invoice:
        invoice = make_admin_invoice(actor=project_manager, job=job, **kwargs)
        return approve_simple_distribution(administrator, invoice, accounts)

    return make


def create(actor, invoices: list[Invoice], **kwargs):
    return export_batch_create(
        actor=actor, invoice_ids=[inv.pk for inv in invoices], format_key="csv", **kwargs
    )


def read_back(batch: ExportBatch) -> list[dict[str, str]]:
    text = bytes(batch.content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def fresh(invoice: Invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


# What the batch records


def test_approved_invoices_go_out_in_one_recorded_batch(administrator, approved) -> None:
    first, second = approved(), approved(lines=[labor_line(hours="2")])

    result = create(administrator, [first, second], note="Month end")

    batch = ExportBatch.objects.get(pk=result.batch.pk)
    assert set(batch.invoices.all()) == {first, second}
    assert (batch.format, batch.note, batch.created_by) == ("csv", "Month end", administrator)
    assert batch.include_already_exported is False
    assert result.left_out_already_exported == []
    for invoice in (first, second):
        assert fresh(invoice).last_exported_at == batch.created_at
        assert fresh(invoice).accounting_status == "Exported"
        event = events_for(invoice).first()
        assert (event.action, event.detail) == ("invoice exported", batch.file_name)


def test_checksum_is_the_sha256_of_the_stored_file(administrator, approved) -> None:
    batch = create(administrator, [approved()]).batch

    content = bytes(ExportBatch.objects.get(pk=batch.pk).content)
    assert content.startswith(b"record,invoice_number,")
    assert batch.checksum == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("stage", [Stage.ADMIN, Stage.PROCESSED, Stage.PAID])
def test_export_leaves_the_stage_as_it_was(administrator, approved, stage) -> None:
    invoice = approved()
    if stage != Stage.ADMIN:
        invoice_process(actor=administrator, invoice=invoice)
    if stage == Stage.PAID:
        invoice_mark_paid(actor=administrator, invoice=invoice)

    create(administrator, [invoice])

    assert fresh(invoice).stage == stage
    assert fresh(invoice).is_exported


# The file name


def export_at(monkeypatch, settings, instant: datetime.datetime, actor, invoices, **kwargs):
    settings.TIME_ZONE = "America/Chicago"
    monkeypatch.setattr(timezone, "now", lambda: instant)
    return create(actor, invoices, **kwargs).batch


def test_file_name_is_prefix_date_client_and_batch_number(
    monkeypatch, settings, administrator, approved, job
) -> None:
    job.customer.code = "ACME Paving, Inc."
    job.customer.save()
    noon_in_chicago = datetime.datetime(2025, 3, 14, 17, 0, tzinfo=UTC)

    batch = export_at(
        monkeypatch, settings, noon_in_chicago, administrator, [approved()], prefix="QB "
    )

    assert batch.file_name == f"QB20250314_ACMEPavingInc_Batch{batch.pk}.csv"
    assert batch.prefix == "QB"


def test_file_name_carries_the_companys_local_date(
    monkeypatch, settings, administrator, approved
) -> None:
    """An export at 10:30 pm in Chicago is that day's batch, not the next day's (UTC) one."""
    evening_in_chicago = datetime.datetime(2025, 3, 15, 3, 30, tzinfo=UTC)

    batch = export_at(monkeypatch, settings, evening_in_chicago, administrator, [approved()])

    assert "_20250314_" in f"_{batch.file_name}", batch.file_name


def test_file_name_says_multiple_for_several_customers(
    administrator, project_manager, approved, accounts
) -> None:
    other_job = JobFactory(project_manager=project_manager, customer=CustomerFactory())
    elsewhere = make_admin_invoice(actor=project_manager, job=other_job)
    approve_simple_distribution(administrator, elsewhere, accounts)

    batch = create(administrator, [approved(), elsewhere]).batch

    assert f"_Multiple_Batch{batch.pk}.csv" in batch.file_name


def test_prefix_longer_than_sixty_characters_refused(refused, administrator, approved) -> None:
    invoice = approved()

    with refused("The file name prefix can be at most 60 characters.", invoice):
        create(administrator, [invoice], prefix="P" * 61)


# The file read back


def test_csv_reads_back_with_a_row_per_line_and_per_gl_entry(administrator, approved) -> None:
    invoice = approved(
        lines=[labor_line(), labor_line(hours="1.5", rate="40.00", taxable=True)],
        freight=D("20.00"),
    )
    assert invoice.total == D("764.95")  # 680 + 60 + 4.95 tax + 20 freight

    rows = read_back(create(administrator, [invoice]).batch)

    assert [(r["record"], r["line_number"], r["amount"]) for r in rows] == [
        ("LINE", "1", "680.00"),
        ("LINE", "2", "60.00"),
        ("GL", "1", "764.95"),
        ("GL", "2", "-764.95"),
    ]
    assert {r["invoice_number"] for r in rows} == {str(invoice.number)}
    assert {(r["subtotal"], r["tax"], r["freight"], r["invoice_total"]) for r in rows} == {
        ("740.00", "4.95", "20.00", "764.95")
    }
    assert [r["account_code"] for r in rows] == ["", "", "1200", "4000"]
    assert [(r["quantity"], r["rate"], r["taxable"]) for r in rows[:2]] == [
        ("8", "85", "N"),
        ("1.5", "40", "Y"),
    ]
    assert rows[0]["invoice_date"] == invoice.invoice_date.isoformat()
    assert rows[0]["customer_code"] == invoice.customer.code


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+2", "@SUM(A1)", "-2+3"])
def test_formula_like_description_is_written_as_text(administrator, approved, text) -> None:
    line = LineInput(kind=LineKind.LABOR, description=text, quantity=D("1"), rate=D("10"))

    rows = read_back(create(administrator, [approved(lines=[line])]).batch)

    assert rows[0]["description"] == "'" + text


def test_negative_amounts_keep_their_minus_sign(
    administrator, project_manager, job, approved, accounts
) -> None:
    original = approved()
    credit = make_admin_invoice(
        actor=project_manager,
        job=job,
        policy=InvoicingPolicy.CORRECTION,
        corrects=original,
        lines=[labor_line(hours="-1")],
    )
    approve_simple_distribution(administrator, credit, accounts)

    rows = read_back(create(administrator, [credit]).batch)

    assert [(r["record"], r["amount"]) for r in rows] == [
        ("LINE", "-85.00"),
        ("GL", "-85.00"),
        ("GL", "85.00"),
    ]
    assert {r["invoice_total"] for r in rows} == {"-85.00"}
    assert {r["corrects_invoice"] for r in rows} == {str(original.number)}


# What may go out


def test_only_approved_distributions_export_all_or_none(
    refused, administrator, project_manager, job, approved
) -> None:
    ready = approved()
    unapproved = make_admin_invoice(actor=project_manager, job=job)

    with refused(f"Invoice {unapproved.number} has no approved GL distribution", ready, unapproved):
        create(administrator, [ready, unapproved])


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "pm-review"])
def test_invoices_not_yet_in_admin_refused(
    refused, administrator, project_manager, job, accounts, approved, submitted
) -> None:
    early = make_invoice(actor=project_manager, job=job)
    if submitted:
        invoice_submit(actor=project_manager, invoice=early)
    approve_simple_distribution(administrator, early, accounts)
    ready = approved()

    with refused(
        f"Invoice {early.number} has not reached the Admin stage yet; nothing was exported.",
        early,
        ready,
    ):
        create(administrator, [ready, early])


def test_already_exported_invoices_are_left_out_unless_included(administrator, approved) -> None:
    earlier, new = approved(), approved()
    first = create(administrator, [earlier]).batch

    result = create(administrator, [earlier, new])

    assert list(result.batch.invoices.all()) == [new]
    assert result.left_out_already_exported == [earlier.number]
    assert fresh(earlier).last_exported_at == first.created_at

    again = create(administrator, [earlier, new], include_already_exported=True)

    assert set(again.batch.invoices.all()) == {earlier, new}
    assert again.batch.include_already_exported is True
    assert again.left_out_already_exported == []
    assert fresh(earlier).last_exported_at == again.batch.created_at
    assert {r["invoice_number"] for r in read_back(again.batch)} == {
        str(earlier.number),
        str(new.number),
    }


def test_selection_already_exported_in_full_is_refused_clearly(
    refused, administrator, approved
) -> None:
    invoice = approved()
    create(administrator, [invoice])

    with refused(
        "Every selected invoice has been exported already. Turn on Include Already "
        "Exported Invoices to export them again.",
        invoice,
    ):
        create(administrator, [invoice])


def test_without_integration_admin_invoices_export_with_the_default_policy(
    company, administrator, project_manager, job, category_mappings
) -> None:
    company.accounting_integration = False
    company.save()
    settings = LedgerSettings.load()
    settings.default_policy = DistributionPolicy.CATEGORY
    settings.save()
    invoice = make_admin_invoice(actor=project_manager, job=job)

    rows = read_back(create(administrator, [invoice]).batch)

    gl_rows = [(r["account_code"], r["amount"]) for r in rows if r["record"] == "GL"]
    assert gl_rows == [("1200", "680.00"), ("4000", "-680.00")]
    assert fresh(invoice).stage == Stage.ADMIN


def test_empty_selection_refused(refused, administrator) -> None:
    with refused("Select at least one invoice to export."):
        export_batch_create(actor=administrator, invoice_ids=[], format_key="csv")


def test_selection_with_a_vanished_invoice_refused(refused, administrator, approved) -> None:
    invoice = approved()

    with refused("Some of the selected invoices no longer exist; nothing was exported.", invoice):
        export_batch_create(
            actor=administrator, invoice_ids=[invoice.pk, invoice.pk + 1000], format_key="csv"
        )


def test_unknown_format_refused(refused, administrator, approved) -> None:
    invoice = approved()

    with refused("“qif” is not an export format.", invoice):
        export_batch_create(actor=administrator, invoice_ids=[invoice.pk], format_key="qif")


@pytest.mark.parametrize("user", ["project_manager", "field_user", "outsider"])
def test_only_administrators_export(refused, request, approved, user) -> None:
    invoice = approved()

    with refused(
        "Only Administrators can process and export invoices.", invoice, error=PermissionRefused
    ):
        create(request.getfixturevalue(user), [invoice])


# Import confirmation


def test_confirming_the_import_records_who_and_when(administrator, approved) -> None:
    batch = create(administrator, [approved()]).batch

    export_batch_confirm_import(actor=administrator, batch=batch)

    batch.refresh_from_db()
    assert batch.import_confirmed_by == administrator
    assert batch.import_confirmed_at is not None
    event = events_for(batch).get(action="import confirmed")
    assert (event.actor, event.to_value) == (administrator, batch.file_name)


def test_import_cannot_be_confirmed_twice(refused, administrator, approved) -> None:
    batch = create(administrator, [approved()]).batch
    export_batch_confirm_import(actor=administrator, batch=batch)

    with refused(f"The import of {batch.file_name} was already confirmed.", batch):
        export_batch_confirm_import(actor=administrator, batch=batch)


def test_only_administrators_confirm_imports(refused, administrator, project_manager, approved):
    batch = create(administrator, [approved()]).batch

    with refused(
        "Only Administrators can confirm imports into accounting.", batch, error=PermissionRefused
    ):
        export_batch_confirm_import(actor=project_manager, batch=batch)
