from django.urls import path

from hiring.api import views as v

urlpatterns = [
    path("job-drafts/", v.JobDraftList.as_view(), name="api-job-drafts"),
    path("job-drafts/<int:pk>/", v.JobDraftDetail.as_view(), name="api-job-draft"),
    path("job-drafts/<int:pk>/answers/", v.JobDraftAnswers.as_view(), name="api-job-draft-answers"),
    path("job-drafts/<int:pk>/post/", v.JobDraftPost.as_view(), name="api-job-draft-post"),
    path("jobs/<int:pk>/interview/", v.JobInterviewView.as_view(), name="api-job-interview"),
    path("proposals/<int:pk>/interview/", v.ProposalInterviewView.as_view(), name="api-proposal-interview"),
]
