from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from marketplace.views import accounts, contracts, files, jobs, messages, notifications, pages, profiles, skills

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    # Accounts
    path("signup/", accounts.sign_up, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Jobs, proposals, invitations
    path("jobs/", jobs.find_work, name="find_work"),
    path("jobs/new/", jobs.job_new, name="job_new"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", jobs.job_edit, name="job_edit"),
    path("jobs/<int:pk>/propose/", jobs.proposal_submit, name="proposal_submit"),
    path("jobs/<int:pk>/proposals/", jobs.job_proposals, name="job_proposals"),
    path("jobs/<int:pk>/invite/", jobs.job_invite, name="job_invite"),
    path("jobs/<int:pk>/<str:action>/", jobs.job_status, name="job_status"),
    path("proposals/", jobs.my_proposals, name="my_proposals"),
    path("proposals/<int:pk>/<str:action>/", jobs.proposal_action, name="proposal_action"),
    path("invitations/", jobs.my_invitations, name="my_invitations"),
    path("invitations/<int:pk>/<str:action>/", jobs.invitation_answer, name="invitation_answer"),
    # Contracts
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", contracts.contract_room_page, name="contract_room"),
    path(
        "contracts/<int:pk>/milestones/<int:milestone_pk>/<str:action>/",
        contracts.milestone_action,
        name="milestone_action",
    ),
    path("contracts/<int:pk>/time/", contracts.time_log_add, name="time_log_add"),
    path("contracts/<int:pk>/end/", contracts.contract_end, name="contract_end"),
    path("contracts/<int:pk>/feedback/", contracts.feedback_leave, name="feedback_leave"),
    path("contracts/<int:pk>/<str:action>/", contracts.contract_pause, name="contract_pause"),
    # Messages
    path("messages/<int:pk>/", messages.thread_page, name="thread"),
    path("jobs/<int:pk>/conversation/<int:freelancer_pk>/", messages.job_conversation, name="job_conversation"),
    path("messages/<int:pk>/fragment/", messages.thread_fragment, name="thread_fragment"),
    path("messages/<int:pk>/post/", messages.thread_post, name="thread_post"),
    # Files (attachments), for those who may see what they are attached to
    path("files/<int:pk>/", files.attachment, name="attachment"),
    # Profiles
    path("freelancers/<int:pk>/", profiles.freelancer_public, name="freelancer_public"),
    path("profile/", profiles.profile_edit, name="profile_edit"),
    path("skills/suggest/", skills.skills_suggest, name="skills_suggest"),
    path("profile/portfolio/", profiles.portfolio_add, name="portfolio_add"),
    path("profile/portfolio/<int:pk>/remove/", profiles.portfolio_remove, name="portfolio_remove"),
    # Notifications
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("notifications/read/", notifications.notification_read, name="notification_read"),
    path("settings/notifications/", notifications.notification_settings, name="notification_settings"),
]
