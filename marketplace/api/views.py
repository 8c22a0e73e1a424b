"""The REST API, /api/v1/. Every queryset is scoped by marketplace.policies (outsiders get 404);
every write is a service call (wrong side: 403, wrong state: 409, bad input: 400)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from marketplace import policies
from marketplace.api import serializers as s
from marketplace.api.helpers import me, valid
from marketplace.errors import NotAllowed
from marketplace.models import (
    FreelancerProfile,
    JobPost,
    Milestone,
    MilestoneSubmission,
    Notification,
    ProfileSkill,
    Skill,
)
from marketplace.selectors import JobFilters, jobs_search
from marketplace.services import contracts as contract_svc
from marketplace.services import jobs as job_svc
from marketplace.services import profiles as profile_svc
from marketplace.services.contracts import MilestoneTerms
from marketplace.services.messaging import message_send
from marketplace.services.notifications import notifications_mark_read
from marketplace.services.skill_matcher import suggestions
from marketplace.snapshot_cache import CachedGet


class SkillList(generics.ListAPIView):
    serializer_class = s.SkillSerializer

    def get_queryset(self):  # noqa: ANN201
        skills = Skill.objects.select_related("category").order_by("name")
        text = self.request.query_params.get("q", "").strip()
        return skills.filter(aliases__key__startswith=text.lower().replace(" ", "")).distinct() if text else skills


class SkillSuggest(APIView):
    """Taxonomy skills named in a text (a pasted CV, an overview, a job post), most named first,
    leaving out `skills` already listed. Nothing is saved: the person picks what fits."""

    @extend_schema(request=s.SkillSuggestRequestSerializer, responses=s.SkillSuggestSerializer)
    def post(self, request: Request) -> Response:
        data = valid(s.SkillSuggestRequestSerializer, request)
        found = suggestions(data["text"], listed=data["skills"])
        return Response(s.SkillSuggestSerializer({"skills": found}).data)


@extend_schema_view(get=extend_schema(parameters=[s.JobSearchSerializer]))
class JobList(CachedGet, generics.ListCreateAPIView):
    """Open jobs (search: q, skills, category, contract_type, budget_min, budget_max; mine for your own);
    POST to post one."""

    serializer_class = s.JobSerializer

    def get_queryset(self):  # noqa: ANN201
        query = valid(s.JobSearchSerializer, self.request, data=self.request.query_params)
        if query["mine"]:
            return (
                policies.jobs_owned(me(self.request))
                .select_related("organization", "category")
                .prefetch_related("skills")
            )
        filters = JobFilters.of({**query, "skills": query["skills"].split(",")})
        return jobs_search(user=me(self.request), filters=filters)

    @extend_schema(request=s.JobInputSerializer, responses={201: s.JobSerializer})
    def post(self, request: Request) -> Response:
        data = valid(s.JobInputSerializer, request)
        membership = me(request).memberships.select_related("organization").first()
        if membership is None:
            raise NotAllowed("Only clients post jobs.")
        job = job_svc.job_create(
            organization=membership.organization,
            by=me(request),
            skills=data.pop("skills", []),
            publish=data.pop("publish"),
            **data,
        )
        return Response(s.JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetail(APIView):
    serializer_class = s.JobSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(s.JobSerializer(_job(request, pk)).data)

    @extend_schema(request=s.JobInputSerializer, responses=s.JobSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        job = _job(request, pk)
        data = valid(s.JobInputSerializer, request, partial=True)
        data.pop("publish", None)
        job = job_svc.job_update(job=job, by=me(request), **data)
        return Response(s.JobSerializer(job).data)


class JobAction(APIView):
    actions = {"publish": job_svc.job_publish, "close": job_svc.job_close, "filled": job_svc.job_mark_filled}

    @extend_schema(operation_id="jobs_act", request=None, responses=s.JobSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        service = self.actions.get(action)
        if service is None:
            return Response({"detail": "Unknown action."}, status=404)
        return Response(s.JobSerializer(service(job=_job(request, pk), by=me(request))).data)


class JobProposals(generics.ListCreateAPIView):
    """GET: the job's proposals (its organisation only). POST: a freelancer proposes."""

    serializer_class = s.ProposalSerializer

    def get_queryset(self):  # noqa: ANN201
        job = _job(self.request, self.kwargs["pk"])
        if not policies.is_member(me(self.request), job.organization_id) and not policies.is_recruiter(
            me(self.request)
        ):
            raise NotAllowed("Only the job's organisation sees its proposals.")
        return job.proposals.select_related("freelancer").order_by("-created_at")

    @extend_schema(request=s.ProposalInputSerializer, responses={201: s.ProposalSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = valid(s.ProposalInputSerializer, request)
        proposal = job_svc.proposal_submit(job=_job(request, pk), freelancer=me(request), **data)
        return Response(s.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalList(generics.ListAPIView):
    serializer_class = s.ProposalSerializer

    def get_queryset(self):  # noqa: ANN201
        return policies.proposals_visible(me(self.request)).select_related("freelancer").order_by("-created_at")


class ProposalAction(APIView):
    actions = {
        "shortlist": job_svc.proposal_shortlist,
        "decline": job_svc.proposal_decline,
        "withdraw": job_svc.proposal_withdraw,
    }

    @extend_schema(operation_id="proposals_act", request=None, responses=s.ProposalSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        proposal = get_object_or_404(policies.proposals_visible(me(request)).select_related("job"), pk=pk)
        service = self.actions.get(action)
        if service is None:
            return Response({"detail": "Unknown action."}, status=404)
        return Response(s.ProposalSerializer(service(proposal=proposal, by=me(request))).data)


class JobInvitations(generics.ListCreateAPIView):
    serializer_class = s.InvitationSerializer

    def get_queryset(self):  # noqa: ANN201
        job = _job(self.request, self.kwargs["pk"])
        if not policies.is_member(me(self.request), job.organization_id):
            raise NotAllowed("Only the job's organisation sees its invitations.")
        return job.invitations.select_related("freelancer", "invited_by")

    @extend_schema(request=s.InvitationInputSerializer, responses={201: s.InvitationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        data = valid(s.InvitationInputSerializer, request)
        invitation = job_svc.invitation_send(job=_job(request, pk), by=me(request), **data)
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationList(generics.ListAPIView):
    serializer_class = s.InvitationSerializer

    def get_queryset(self):  # noqa: ANN201
        return policies.invitations_visible(me(self.request)).select_related("freelancer", "invited_by")


class InvitationAction(APIView):
    @extend_schema(operation_id="invitations_act", request=s.ReasonSerializer, responses=s.InvitationSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        invitation = get_object_or_404(policies.invitations_visible(me(request)), pk=pk)
        if action == "accept":
            invitation = job_svc.invitation_accept(invitation=invitation, by=me(request))
        elif action == "decline":
            reason = valid(s.ReasonSerializer, request)["reason"]
            invitation = job_svc.invitation_decline(invitation=invitation, by=me(request), reason=reason)
        else:
            return Response({"detail": "Unknown action."}, status=404)
        return Response(s.InvitationSerializer(invitation).data)


class ContractList(CachedGet, generics.ListAPIView):
    serializer_class = s.ContractSerializer

    def get_queryset(self):  # noqa: ANN201
        return (
            policies.contracts_visible(me(self.request))
            .select_related("organization", "client", "freelancer", "thread")
            .order_by("-created_at")
        )


class ContractDetail(generics.RetrieveAPIView):
    serializer_class = s.ContractSerializer

    def get_object(self):  # noqa: ANN201
        return _contract(self.request, self.kwargs["pk"])


class ContractAction(APIView):
    @extend_schema(operation_id="contracts_act", request=s.EndContractSerializer, responses=s.ContractSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        contract = _contract(request, pk)
        if action == "end":
            data = valid(s.EndContractSerializer, request)
            contract = contract_svc.contract_end(contract=contract, by=me(request), **data)
        elif action in {"pause", "resume"}:
            service = contract_svc.contract_pause if action == "pause" else contract_svc.contract_resume
            contract = service(contract=contract, by=me(request))
        else:
            return Response({"detail": "Unknown action."}, status=404)
        return Response(s.ContractSerializer(contract).data)


class ContractMilestones(generics.ListCreateAPIView):
    serializer_class = s.MilestoneSerializer

    def get_queryset(self):  # noqa: ANN201
        contract = _contract(self.request, self.kwargs["pk"])
        submissions = MilestoneSubmission.objects.prefetch_related("files")
        return contract.milestones.prefetch_related(Prefetch("submissions", queryset=submissions))

    @extend_schema(request=s.MilestoneInputSerializer, responses={201: s.MilestoneSerializer})
    def post(self, request: Request, pk: int) -> Response:
        terms = MilestoneTerms(**valid(s.MilestoneInputSerializer, request))
        milestone = contract_svc.milestone_add(contract=_contract(request, pk), by=me(request), terms=terms)
        return Response(s.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneAction(APIView):
    """submit (note, files), approve, revise (reason), pay."""

    @extend_schema(operation_id="milestones_act", request=s.ReasonSerializer, responses=s.MilestoneSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        milestone = get_object_or_404(
            Milestone.objects.filter(contract__in=policies.contracts_visible(me(request))).select_related("contract"),
            pk=pk,
        )
        user = me(request)
        if action == "submit":
            note = valid(s.NoteSerializer, request)["note"]
            contract_svc.milestone_submit(milestone=milestone, by=user, note=note, files=request.FILES.getlist("files"))
        elif action == "approve":
            contract_svc.milestone_approve(milestone=milestone, by=user)
        elif action == "revise":
            reason = valid(s.ReasonSerializer, request)["reason"]
            contract_svc.milestone_request_revision(milestone=milestone, by=user, reason=reason)
        elif action == "pay":
            contract_svc.milestone_pay(milestone=milestone, by=user)
        else:
            return Response({"detail": "Unknown action."}, status=404)
        milestone.refresh_from_db()
        return Response(s.MilestoneSerializer(milestone).data)


class ContractTimeLogs(generics.ListCreateAPIView):
    serializer_class = s.TimeLogSerializer

    def get_queryset(self):  # noqa: ANN201
        return _contract(self.request, self.kwargs["pk"]).time_logs.all()

    def post(self, request: Request, pk: int) -> Response:
        data = valid(s.TimeLogSerializer, request)
        log = contract_svc.time_log_add(
            contract=_contract(request, pk), by=me(request), day=data["date"], hours=data["hours"], memo=data["memo"]
        )
        return Response(s.TimeLogSerializer(log).data, status=status.HTTP_201_CREATED)


class ContractFeedback(generics.ListCreateAPIView):
    serializer_class = s.FeedbackSerializer

    def get_queryset(self):  # noqa: ANN201
        return _contract(self.request, self.kwargs["pk"]).feedback.select_related("author").order_by("created_at")

    def post(self, request: Request, pk: int) -> Response:
        data = valid(s.FeedbackSerializer, request)
        feedback = contract_svc.feedback_leave(contract=_contract(request, pk), by=me(request), **data)
        return Response(s.FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


class ThreadMessages(generics.ListCreateAPIView):
    serializer_class = s.MessageSerializer

    def get_queryset(self):  # noqa: ANN201
        thread = get_object_or_404(policies.threads_visible(me(self.request)), pk=self.kwargs["pk"])
        return thread.messages.select_related("sender").prefetch_related("files")

    def post(self, request: Request, pk: int) -> Response:
        thread = get_object_or_404(policies.threads_visible(me(request)), pk=pk)
        message = message_send(
            thread=thread,
            sender=me(request),
            body=valid(s.BodySerializer, request)["body"],
            files=request.FILES.getlist("files"),
        )
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class NotificationList(generics.ListAPIView):
    serializer_class = s.NotificationSerializer

    def get_queryset(self):  # noqa: ANN201
        return Notification.objects.filter(user=me(self.request)).order_by("-created_at")


class NotificationsRead(APIView):
    @extend_schema(request=s.IdsSerializer, responses={200: None})
    def post(self, request: Request) -> Response:
        changed = notifications_mark_read(user=me(request), ids=valid(s.IdsSerializer, request).get("ids"))
        return Response({"marked_read": changed})


def _profiles():  # noqa: ANN202
    return FreelancerProfile.objects.select_related("user").prefetch_related(
        Prefetch("profile_skills", queryset=ProfileSkill.objects.select_related("skill"))
    )


class FreelancerDetail(generics.RetrieveAPIView):
    serializer_class = s.ProfileSerializer
    queryset = _profiles()


def _my_profile(request: Request) -> FreelancerProfile:
    profile = _profiles().filter(user=me(request)).first()
    if profile is None:
        raise NotAllowed("Only freelancers have a profile.")
    return profile


class MyProfile(APIView):
    serializer_class = s.ProfileSerializer

    def get(self, request: Request) -> Response:
        return Response(s.ProfileSerializer(_my_profile(request)).data)

    def patch(self, request: Request) -> Response:
        profile = _my_profile(request)
        serializer = s.ProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile_svc.profile_update(profile=profile, by=me(request), **serializer.validated_data)
        return Response(s.ProfileSerializer(_my_profile(request)).data)


class MyProfileSkills(APIView):
    @extend_schema(request=s.ProfileSkillsSerializer, responses=s.ProfileSerializer)
    def put(self, request: Request) -> Response:
        profile = _my_profile(request)
        skills = valid(s.ProfileSkillsSerializer, request)["skills"]
        profile_svc.profile_skills_set(profile=profile, by=me(request), skills=skills)
        return Response(s.ProfileSerializer(_my_profile(request)).data)


class TokenThrottle(ScopedRateThrottle):
    scope = "token"


def _job(request: Request, pk: int) -> JobPost:
    return get_object_or_404(
        policies.jobs_visible(me(request)).select_related("organization", "category").prefetch_related("skills"), pk=pk
    )


def _contract(request: Request, pk: int):  # noqa: ANN202
    return get_object_or_404(
        policies.contracts_visible(me(request)).select_related("organization", "client", "freelancer"), pk=pk
    )
