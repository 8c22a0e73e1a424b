from django.urls import path

from hiring import views

app_name = "hiring"

urlpatterns = [
    path("jobs/new/", views.job_new, name="job_new"),
    path("jobs/new/uma/", views.job_draft_start, name="job_draft_start"),
    path("jobs/new/uma/<int:pk>/", views.job_draft, name="job_draft"),
    path("jobs/new/uma/<int:pk>/answers/", views.job_draft_answers, name="job_draft_answers"),
    path("jobs/new/uma/<int:pk>/post/", views.job_draft_post, name="job_draft_post"),
    path("jobs/<int:pk>/proposals/", views.job_proposals, name="job_proposals"),
    path("jobs/<int:pk>/interview/", views.job_interview, name="job_interview"),
    path("proposals/<int:pk>/interview/", views.proposal_interview, name="proposal_interview"),
]
