from django.urls import path

from offers.api import views as v

urlpatterns = [
    path("offers/", v.OfferList.as_view(), name="api-offers"),
    path("offers/<int:pk>/", v.OfferDetail.as_view(), name="api-offer"),
    path("offers/<int:pk>/diff/", v.OfferDiff.as_view(), name="api-offer-diff"),
    path("offers/<int:pk>/<str:action>/", v.OfferAction.as_view(), name="api-offer-action"),
    path("contracts/<int:pk>/changes/", v.ContractChanges.as_view(), name="api-contract-changes"),
]
