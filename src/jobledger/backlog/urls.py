from django.urls import path

from jobledger.backlog import invoice_export_views, invoice_process_views, views

urlpatterns = [
    path(
        "invoice-process/",
        invoice_process_views.invoice_process_backlog,
        name="invoice_process_backlog",
    ),
    path(
        "invoice-process/<int:pk>/details/",
        invoice_process_views.invoice_process_details,
        name="invoice_process_details",
    ),
    path(
        "invoice-process/process/",
        invoice_process_views.invoice_process_process,
        name="invoice_process_process",
    ),
    path(
        "invoice-process/undo/",
        invoice_process_views.invoice_process_undo,
        name="invoice_process_undo",
    ),
    path(
        "invoice-process/export/",
        invoice_export_views.invoice_process_export,
        name="invoice_process_export",
    ),
    path(
        "invoice-process/export/<str:task_id>/",
        invoice_export_views.invoice_process_export_progress,
        name="invoice_process_export_progress",
    ),
    path(
        "invoice-process/pdfs/",
        invoice_process_views.invoice_process_pdfs,
        name="invoice_process_pdfs",
    ),
    path("dwr-approval/", views.dwr_approval_backlog, name="dwr_approval_backlog"),
    path("dwr-invoice/", views.dwr_invoice_backlog, name="dwr_invoice_backlog"),
    path("pm-review/", views.pm_review, name="pm_review"),
]
