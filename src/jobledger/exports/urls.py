from django.urls import path

from jobledger.exports import views

urlpatterns = [
    path("", views.export_log, name="export_log"),
    path("batches/<int:pk>/", views.export_batch_detail, name="export_batch_detail"),
    path("batches/<int:pk>/file/", views.export_batch_download, name="export_batch_download"),
    path(
        "batches/<int:pk>/confirm-import/",
        views.export_batch_confirm_import,
        name="export_batch_confirm_import",
    ),
    path("customers/", views.customer_export, name="customer_export"),
]
