from django.urls import path

from jobledger.customers import views

urlpatterns = [
    path("", views.customer_list, name="customer_list"),
    path("<int:pk>/edit/", views.customer_edit, name="customer_edit"),
]
