from django.urls import path

from jobledger.ledger import report_views, views

urlpatterns = [
    path("distribution/", views.distribution_search_page, name="distribution_search"),
    path("distribution/<int:pk>/", views.invoice_distribution, name="invoice_distribution"),
    path("accounts/lookup/", views.gl_account_lookup, name="gl_account_lookup"),
    path("post/", report_views.post_invoices, name="post_invoices"),
    path("find/", report_views.invoice_find_page, name="invoice_find"),
    path("journal/", report_views.invoice_journal_page, name="invoice_journal"),
]
