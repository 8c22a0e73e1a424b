from django.urls import path

from recruiter import views

app_name = "recruiter"

urlpatterns = [
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/shortlist/", views.shortlist_partial, name="shortlist"),
    path("cases/<int:pk>/compare/", views.compare, name="compare"),
    path("cases/<int:pk>/preferences/", views.preferences, name="preferences"),
    path("cases/<int:pk>/more/", views.more, name="more"),
    path("cases/<int:pk>/entries/<int:entry_pk>/remove/", views.remove, name="remove"),
    path("cases/<int:pk>/drafts/", views.drafts, name="drafts"),
    path("cases/<int:pk>/invite/", views.invite, name="invite"),
    path("cases/<int:pk>/person/", views.ask_person, name="person"),
    path("cases/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("cases/<int:pk>/replace/", views.replace, name="replace"),
    path("contracts/<int:contract_pk>/concern/", views.concern, name="concern"),
    path("figures/", views.figures, name="figures"),
]
