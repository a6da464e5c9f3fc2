from django.urls import path

from jobledger.documents import views

urlpatterns = [
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/docx/", views.invoice_docx, name="invoice_docx"),
    path("jobs/", views.document_job_create, name="document_job_create"),
    path("jobs/<int:pk>/", views.document_job_page, name="document_job"),
    path("jobs/<int:pk>/download/", views.document_job_download, name="document_job_download"),
    path("settings/", views.document_settings, name="document_settings"),
    path("settings/word-template/", views.word_template_download, name="word_template_download"),
    path("settings/word-template/upload/", views.word_template_upload, name="word_template_upload"),
    path("settings/word-template/reset/", views.word_template_reset, name="word_template_reset"),
]
