from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError

from marketplace.api import views as v
from marketplace.auth import was_limited


class ThrottledObtainToken(ObtainAuthToken):
    """A token for a password: per-IP throttled, and under the one per-account login limit (429)."""

    throttle_classes = [v.TokenThrottle]

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN201
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if was_limited(request):
                raise Throttled(detail="Too many login attempts for this account. Please wait and try again.") from None
            raise


urlpatterns = [
    path("auth/token/", ThrottledObtainToken.as_view(), name="api-token"),
    path("skills/", v.SkillList.as_view(), name="api-skills"),
    path("skills/suggest/", v.SkillSuggest.as_view(), name="api-skills-suggest"),
    path("jobs/", v.JobList.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", v.JobDetail.as_view(), name="api-job"),
    path("jobs/<int:pk>/proposals/", v.JobProposals.as_view(), name="api-job-proposals"),
    path("jobs/<int:pk>/invitations/", v.JobInvitations.as_view(), name="api-job-invitations"),
    path("jobs/<int:pk>/<str:action>/", v.JobAction.as_view(), name="api-job-action"),
    path("proposals/", v.ProposalList.as_view(), name="api-proposals"),
    path("proposals/<int:pk>/<str:action>/", v.ProposalAction.as_view(), name="api-proposal-action"),
    path("invitations/", v.InvitationList.as_view(), name="api-invitations"),
    path("invitations/<int:pk>/<str:action>/", v.InvitationAction.as_view(), name="api-invitation-action"),
    path("contracts/", v.ContractList.as_view(), name="api-contracts"),
    path("contracts/<int:pk>/", v.ContractDetail.as_view(), name="api-contract"),
    path("contracts/<int:pk>/milestones/", v.ContractMilestones.as_view(), name="api-contract-milestones"),
    path("contracts/<int:pk>/time-logs/", v.ContractTimeLogs.as_view(), name="api-contract-time"),
    path("contracts/<int:pk>/feedback/", v.ContractFeedback.as_view(), name="api-contract-feedback"),
    path("contracts/<int:pk>/<str:action>/", v.ContractAction.as_view(), name="api-contract-action"),
    path("milestones/<int:pk>/<str:action>/", v.MilestoneAction.as_view(), name="api-milestone-action"),
    path("threads/<int:pk>/messages/", v.ThreadMessages.as_view(), name="api-thread-messages"),
    path("notifications/", v.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", v.NotificationsRead.as_view(), name="api-notifications-read"),
    path("freelancers/<int:pk>/", v.FreelancerDetail.as_view(), name="api-freelancer"),
    path("me/profile/", v.MyProfile.as_view(), name="api-my-profile"),
    path("me/profile/skills/", v.MyProfileSkills.as_view(), name="api-my-profile-skills"),
]
