from django.urls import path

from jobledger.backlog import views

urlpatterns = [
    path("invoice-process/", views.invoice_process_backlog, name="invoice_process_backlog"),
    path("dwr-approval/", views.dwr_approval_backlog, name="dwr_approval_backlog"),
    path("dwr-invoice/", views.dwr_invoice_backlog, name="dwr_invoice_backlog"),
    path("pm-review/", views.pm_review, name="pm_review"),
    path("distribution/", views.distribution_search, name="distribution_search"),
]
