"""/api/v1/job-drafts/: the job post generator over the API. A draft is its organisation's (anyone else:
404). Uma's questions and draft are made on the llm queue: POSTs answer 202, and the draft's status says
when they are ready. Posting is the client's: POST /api/v1/job-drafts/<id>/post/ with the (edited) `job_fields`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api import serializers as s
from hiring.models import InterviewTranscript, JobInterview
from hiring.policies import job_drafts_visible
from hiring.services import interviews
from hiring.services import job_drafts as svc
from marketplace import policies
from marketplace.api import serializers as market
from marketplace.api.helpers import me, valid
from marketplace.errors import NotAllowed
from marketplace.models import JobPost, Proposal


def _drafts(request: Request):  # noqa: ANN202
    return job_drafts_visible(me(request))


class JobDraftList(generics.ListAPIView):
    """The organisation's drafts with Uma, latest first; POST a sentence to start one."""

    serializer_class = s.JobDraftSerializer

    def get_queryset(self):  # noqa: ANN201
        return _drafts(self.request)

    @extend_schema(request=s.JobDraftStartSerializer, responses={202: s.JobDraftSerializer})
    def post(self, request: Request) -> Response:
        data = valid(s.JobDraftStartSerializer, request)
        membership = me(request).memberships.select_related("organization").first()
        if membership is None:
            raise NotAllowed("Only clients post jobs.")
        draft = svc.job_draft_start(organization=membership.organization, by=me(request), need=data["need"])
        return Response(s.JobDraftSerializer(draft).data, status=status.HTTP_202_ACCEPTED)


class JobDraftDetail(APIView):
    @extend_schema(responses=s.JobDraftSerializer)
    def get(self, request: Request, pk: int) -> Response:
        draft = get_object_or_404(_drafts(request), pk=pk)
        svc.job_draft_nudge(draft=draft)
        return Response(s.JobDraftSerializer(draft).data)


class JobDraftAnswers(APIView):
    @extend_schema(
        request=s.JobDraftAnswersSerializer, responses={200: s.JobDraftSerializer, 202: s.JobDraftSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = get_object_or_404(_drafts(request), pk=pk)
        data = valid(s.JobDraftAnswersSerializer, request)
        if data["draft"]:
            draft = svc.job_draft_write_request(draft=draft, by=me(request), answers=data["answers"])
            return Response(s.JobDraftSerializer(draft).data, status=status.HTTP_202_ACCEPTED)
        draft = svc.job_draft_answers_save(draft=draft, by=me(request), answers=data["answers"])
        return Response(s.JobDraftSerializer(draft).data)


class JobDraftPost(APIView):
    """The client's edited post becomes a job (published when `publish` is true), once per draft."""

    @extend_schema(request=market.JobInputSerializer, responses={201: market.JobSerializer})
    def post(self, request: Request, pk: int) -> Response:
        draft = get_object_or_404(_drafts(request), pk=pk)
        data = valid(market.JobInputSerializer, request)
        job = svc.job_draft_post(
            draft=draft, by=me(request), skills=data.pop("skills", []), publish=data.pop("publish"), **data
        )
        return Response(market.JobSerializer(job).data, status=status.HTTP_201_CREATED)


class JobInterviewView(APIView):
    """The job's instant interview: GET it, PUT the client's questions and how many Uma adds (0-3)."""

    def _job(self, request: Request, pk: int) -> JobPost:
        return get_object_or_404(policies.jobs_owned(me(request)), pk=pk)

    @extend_schema(responses=s.InterviewSerializer)
    def get(self, request: Request, pk: int) -> Response:
        interview = get_object_or_404(JobInterview, job=self._job(request, pk))
        return Response(s.InterviewSerializer(interview).data)

    @extend_schema(request=s.InterviewSetSerializer, responses=s.InterviewSerializer)
    def put(self, request: Request, pk: int) -> Response:
        job = self._job(request, pk)
        data = valid(s.InterviewSetSerializer, request)
        interview = interviews.interview_set(
            job=job, by=me(request), questions=data["questions"], uma_count=data["uma_count"]
        )
        return Response(s.InterviewSerializer(interview).data)


class ProposalInterviewView(APIView):
    """A proposal's interview: the freelancer's answers (POST, `submit` to send), read by both sides once sent."""

    def _proposal(self, request: Request, pk: int) -> Proposal:
        return get_object_or_404(policies.proposals_visible(me(request)).select_related("job"), pk=pk)

    @extend_schema(responses=s.TranscriptSerializer)
    def get(self, request: Request, pk: int) -> Response:
        proposal = self._proposal(request, pk)
        transcript = InterviewTranscript.objects.filter(proposal=proposal).first()
        if transcript is None or (proposal.freelancer_id != me(request).pk and not transcript.submitted_at):
            raise NotFound("No interview answers here.")
        return Response(s.TranscriptSerializer(transcript).data)

    @extend_schema(request=s.InterviewAnswerSerializer, responses=s.TranscriptSerializer)
    def post(self, request: Request, pk: int) -> Response:
        proposal = self._proposal(request, pk)
        data = valid(s.InterviewAnswerSerializer, request)
        transcript = interviews.interview_answer(
            proposal=proposal, by=me(request), answers=data["answers"], submit=data["submit"]
        )
        return Response(s.TranscriptSerializer(transcript).data)
