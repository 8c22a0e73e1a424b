from django.urls import path

from offers import views

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/counter/", views.offer_counter_page, name="offer_counter"),
    path("offers/<int:pk>/report/", views.offer_report_view, name="offer_report"),
    path(
        "offers/<int:pk>/<str:action>/",
        views.offer_action,
        name="offer_action",
    ),
    path("contracts/<int:pk>/changes/", views.contract_changes, name="contract_changes"),
]
