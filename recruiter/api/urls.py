from django.urls import path

from recruiter.api import views as v

urlpatterns = [
    path("risk-cases/", v.CaseList.as_view(), name="api-risk-cases"),
    path("risk-cases/<int:pk>/", v.CaseDetail.as_view(), name="api-risk-case"),
    path("risk-cases/<int:pk>/shortlist/", v.CaseShortlist.as_view(), name="api-risk-case-shortlist"),
    path("risk-cases/<int:pk>/more/", v.CaseMore.as_view(), name="api-risk-case-more"),
    path("risk-cases/<int:pk>/entries/<int:entry_pk>/remove/", v.EntryRemove.as_view(), name="api-risk-case-remove"),
    path("risk-cases/<int:pk>/drafts/", v.CaseDrafts.as_view(), name="api-risk-case-drafts"),
    path("risk-cases/<int:pk>/invitations/", v.CaseInvitations.as_view(), name="api-risk-case-invitations"),
    path("risk-cases/<int:pk>/<str:action>/", v.CaseAction.as_view(), name="api-risk-case-action"),
    path("contracts/<int:pk>/concern/", v.ContractConcern.as_view(), name="api-contract-concern"),
]
