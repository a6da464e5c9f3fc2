"""Export batches: what may go out, the file and its name, and the import confirmation."""

import csv
import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobledger.core.audit import events_for
from jobledger.core.errors import PermissionRefused
from jobledger.core.models import AuditEvent
from jobledger.customers.models import Customer
from jobledger.exports import reader, services
from jobledger.exports.formats import FORMATS
from jobledger.exports.formats.base import ExportFormat
from jobledger.exports.models import ExportBatch
from jobledger.exports.reader import customer_doc, export_rows, invoice_docs
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
    DepartmentFactory,
    JobFactory,
    TaskFactory,
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

    with refused(
        f"Nothing was exported: 1 of the 2 invoices cannot go out as it is. Invoice "
        f"{unapproved.number}: the distribution is not approved; approve it on the "
        "Distribution page. Export the ready invoice alone, or correct this and export again.",
        ready,
        unapproved,
    ) as info:
        create(administrator, [ready, unapproved])

    assert info.value.preflight.ready == (ready.number,)
    assert list(info.value.preflight.problems) == [unapproved.number]


def test_the_ready_invoices_go_out_alone_when_asked(
    administrator, project_manager, job, approved
) -> None:
    ready = approved()
    unapproved = make_admin_invoice(actor=project_manager, job=job)

    result = create(administrator, [ready, unapproved], only_ready=True)

    assert list(result.batch.invoices.all()) == [ready]
    assert result.problems == {
        unapproved.number: (
            f"Invoice {unapproved.number}: the distribution is not approved; approve it on "
            "the Distribution page.",
        )
    }
    assert {r["invoice_number"] for r in read_back(result.batch)} == {str(ready.number)}
    assert not fresh(unapproved).is_exported


@pytest.mark.parametrize(("submitted", "stage"), [(False, "Draft"), (True, "PM Review")])
def test_invoices_not_yet_in_admin_refused(
    refused, administrator, project_manager, job, accounts, approved, submitted, stage
) -> None:
    early = make_invoice(actor=project_manager, job=job)
    if submitted:
        invoice_submit(actor=project_manager, invoice=early)
    approve_simple_distribution(administrator, early, accounts)
    ready = approved()

    with refused(
        f"Invoice {early.number} has not reached the Admin stage yet (it is in {stage}).",
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


# Formats made for the tests: one line per invoice, so the file shows what went in.


def lines_writer(invoices, customers=()) -> bytes:
    rows = [f"CUST,{c.code}" for c in customers]
    rows += [f"INV,{invoice.number},{invoice.total}" for invoice in invoices]
    return "".join(row + "\n" for row in rows).encode()


def test_format(monkeypatch, **changes) -> ExportFormat:
    fields = {"key": "lines", "label": "Numbered lines", "extension": "txt", "write": lines_writer}
    fmt = ExportFormat(media_type="text/plain", **(fields | changes))
    monkeypatch.setitem(FORMATS, fmt.key, fmt)
    return fmt


test_format.__test__ = False  # a helper, not a test


def all_exported_state() -> tuple[int, int, int, list]:
    return (
        ExportBatch.objects.count(),
        ExportBatch.invoices.through.objects.count(),
        AuditEvent.objects.filter(action="invoice exported").count(),
        list(Invoice.objects.order_by("pk").values_list("pk", "last_exported_at")),
    )


# All or nothing


def test_a_writer_failing_midway_leaves_no_batch_and_no_invoice_marked(
    monkeypatch, administrator, approved
) -> None:
    invoices = [approved() for _ in range(3)]
    read = []

    def breaks_on_the_second(docs, customers=()) -> bytes:
        for doc in docs:
            read.append(doc.number)
            if len(read) == 2:
                raise OSError("disk full")
        return b""

    test_format(monkeypatch, write=breaks_on_the_second)
    before = all_exported_state()

    with pytest.raises(OSError, match="disk full"):
        export_batch_create(
            actor=administrator, invoice_ids=[i.pk for i in invoices], format_key="lines"
        )

    assert read == [invoices[0].number, invoices[1].number]
    assert all_exported_state() == before


def test_a_failure_after_some_invoices_are_marked_undoes_them_all(
    monkeypatch, administrator, approved
) -> None:
    """The batch is saved and the first invoices marked before the audit of the second
    chunk fails: the whole export is rolled back."""
    invoices = [approved() for _ in range(5)]
    test_format(monkeypatch)
    monkeypatch.setattr(services, "CHUNK", 2)
    real_audit = services.audit_many
    calls = []

    def fails_second_time(**kwargs) -> None:
        calls.append(len(kwargs["subjects"]))
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        real_audit(**kwargs)

    monkeypatch.setattr(services, "audit_many", fails_second_time)
    before = all_exported_state()

    with pytest.raises(RuntimeError, match="connection lost"):
        export_batch_create(
            actor=administrator, invoice_ids=[i.pk for i in invoices], format_key="lines"
        )

    assert calls == [2, 2]
    assert all_exported_state() == before


# Several files in one zip


def test_more_invoices_than_one_file_takes_are_split_into_a_zip(
    monkeypatch, administrator, approved
) -> None:
    invoices = [approved() for _ in range(5)]
    test_format(monkeypatch, max_invoices_per_file=2)

    result = export_batch_create(
        actor=administrator, invoice_ids=[i.pk for i in invoices], format_key="lines"
    )

    batch = ExportBatch.objects.get(pk=result.batch.pk)
    stem = batch.file_name.removesuffix(".zip")
    assert batch.file_name.endswith(f"_Batch{batch.pk}.zip")
    assert batch.media_type == "application/zip"
    assert batch.checksum == hashlib.sha256(bytes(batch.content)).hexdigest()
    archive = zipfile.ZipFile(io.BytesIO(bytes(batch.content)))
    names = [f"{stem}_part{n}.txt" for n in (1, 2, 3)]
    assert archive.namelist() == names == result.files
    parts = [archive.read(name).decode().splitlines() for name in names]
    numbers = [[int(row.split(",")[1]) for row in part] for part in parts]
    expected = sorted(i.number for i in invoices)
    assert numbers == [expected[0:2], expected[2:4], expected[4:5]]
    assert batch.invoices.count() == 5


def test_a_selection_that_fits_in_one_file_is_not_zipped(monkeypatch, administrator, approved):
    invoices = [approved() for _ in range(2)]
    test_format(monkeypatch, max_invoices_per_file=2)

    result = create_with(administrator, invoices, "lines")

    assert result.batch.file_name.endswith(".txt")
    assert result.batch.media_type == "text/plain"
    assert result.files == [result.batch.file_name]


def create_with(actor, invoices, format_key, **kwargs):
    return export_batch_create(
        actor=actor, invoice_ids=[i.pk for i in invoices], format_key=format_key, **kwargs
    )


# Customers carried in the invoice file


def test_new_or_changed_customers_travel_with_the_invoices_when_asked(
    monkeypatch, administrator, project_manager, approved, accounts, job
) -> None:
    test_format(monkeypatch, carries_customers=True)
    settled = CustomerFactory(code="SETTLED")
    Customer.objects.filter(pk=settled.pk).update(changed_since_export=False)
    settled_job = JobFactory(project_manager=project_manager, customer=settled)
    settled_invoice = make_admin_invoice(actor=project_manager, job=settled_job)
    approve_simple_distribution(administrator, settled_invoice, accounts)
    bystander = CustomerFactory(code="BYSTANDER")  # changed, but not on these invoices

    result = create_with(administrator, [approved(), settled_invoice], "lines", with_customers=True)

    rows = bytes(result.batch.content).decode().splitlines()
    assert [row for row in rows if row.startswith("CUST")] == [f"CUST,{job.customer.code}"]
    assert list(result.batch.customers.all()) == [job.customer]
    job.customer.refresh_from_db()
    assert job.customer.changed_since_export is False
    assert job.customer.last_exported_at == result.batch.created_at
    bystander.refresh_from_db()
    assert bystander.changed_since_export is True
    assert events_for(job.customer).filter(action="customer exported").count() == 1


def test_customers_left_out_unless_asked(monkeypatch, administrator, approved, job) -> None:
    test_format(monkeypatch, carries_customers=True)

    result = create_with(administrator, [approved()], "lines")

    assert b"CUST" not in bytes(result.batch.content)
    assert not result.batch.customers.exists()
    job.customer.refresh_from_db()
    assert job.customer.changed_since_export is True


def test_customers_refused_for_a_format_that_cannot_carry_them(
    refused, administrator, approved
) -> None:
    invoice = approved()

    with refused(
        "CSV (other systems) files do not carry customers; export the customers on their own "
        "from the Export Log.",
        invoice,
    ):
        create(administrator, [invoice], with_customers=True)


# Queries


def test_export_reads_a_fixed_number_of_queries_per_chunk(monkeypatch, approved) -> None:
    ids = [inv.pk for inv in sorted((approved() for _ in range(5)), key=lambda i: i.number)]

    def queries(chosen) -> int:
        with CaptureQueriesContext(connection) as captured:
            docs = [row.doc for row in export_rows(chosen)]
        assert [doc.number for doc in docs] == sorted(doc.number for doc in docs)
        return len(captured)

    LedgerSettings.load()  # the settings row exists, as it does once anyone saved it
    one_chunk = queries(ids[:2])
    assert queries(ids) == one_chunk
    monkeypatch.setattr(reader, "CHUNK", 2)
    # Three chunks of at most two: each reads invoices, their lines, their distributions
    # (and the customers not met before, in the first).
    assert queries(ids) == one_chunk + 2 * 3


def test_export_without_integration_reads_no_query_per_invoice(
    company, administrator, project_manager, job, category_mappings
) -> None:
    company.accounting_integration = False
    company.save()
    LedgerSettings.load()  # the settings row exists, as it does once anyone saved it
    ids = [make_admin_invoice(actor=project_manager, job=job).pk for _ in range(4)]

    counts = []
    for chosen in (ids[:1], ids):
        with CaptureQueriesContext(connection) as captured:
            list(export_rows(chosen))
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_the_whole_export_costs_the_same_queries_for_two_invoices_or_six(
    administrator, approved
) -> None:
    create(administrator, [approved()])  # settings rows and caches in place
    counts = []
    for size in (2, 6):
        invoices = [approved() for _ in range(size)]
        with CaptureQueriesContext(connection) as captured:
            create(administrator, invoices)
        counts.append(len(captured))

    assert counts[0] == counts[1]


# The documents the writers read


def test_documents_carry_what_the_invoice_says(
    administrator, project_manager, job, category_mappings
) -> None:
    """Each line's department is its own, else its task's default, else the job's; its
    account comes from the category mappings; the customer is as the model reads it."""
    electrical = DepartmentFactory(code="ELEC", name="Electrical")
    task = TaskFactory(code="LAB-J", default_department=DepartmentFactory(code="MECH"))
    lines = [
        LineInput(kind=LineKind.LABOR, description="Own", rate=D("10"), department=electrical),
        LineInput(kind=LineKind.LABOR, description="Task's", rate=D("20"), task=task),
        LineInput(kind=LineKind.MATERIALS, description="Job's", rate=D("30"), taxable=True),
    ]
    invoice = make_admin_invoice(
        actor=project_manager, job=job, lines=lines, freight=D("5.00"), po_number="PO-9"
    )
    approve_simple_distribution(administrator, invoice, category_mappings)

    [row] = export_rows([invoice.pk])

    doc = row.doc
    assert [(ln.description, ln.department) for ln in doc.lines] == [
        ("Own", "ELEC"),
        ("Task's", "MECH"),
        ("Job's", job.department.code),
    ]
    assert [ln.item_code for ln in doc.lines] == ["Labor", "LAB-J", "Materials"]
    assert [ln.account.code for ln in doc.lines] == ["4000", "4000", "4100"]
    assert (doc.receivable_account.code, doc.freight_account.code) == ("1200", "4900")
    assert doc.customer == customer_doc(Customer.objects.get(pk=job.customer.pk))
    assert doc.customer.tax_rate == D("8.2500")
    assert (doc.type, doc.policy, doc.po_number, doc.freight) == (
        "Partial",
        "Progress, Itemized",
        "PO-9",
        D("5.00"),
    )
    assert (doc.job_number, doc.department, doc.terms_label) == (
        job.number,
        job.department.code,
        "Net 30",
    )
    assert [(gl.account_code, gl.amount) for gl in doc.distribution] == [
        ("1200", invoice.total),
        ("4000", -invoice.total),
    ]
    assert doc.total == doc.subtotal + doc.tax_amount + doc.freight - doc.deposit_applied
    assert (row.approved, row.exported, row.stage) == (True, False, Stage.ADMIN)


def test_invoice_docs_reads_a_query_in_number_order(approved) -> None:
    invoices = [approved(), approved(), approved()]

    docs = list(invoice_docs(Invoice.objects.filter(pk__in=[i.pk for i in invoices[1:]])))

    assert [doc.number for doc in docs] == [i.number for i in invoices[1:]]
