from django.urls import path

from jobledger.backlog import views

urlpatterns = [
    path("invoice-process/", views.invoice_process_backlog, name="invoice_process_backlog"),
]
