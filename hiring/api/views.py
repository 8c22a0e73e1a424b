"""/api/v1/job-drafts/: the job post generator over the API. A draft is its organisation's (anyone else:
404). Uma's questions and draft are made on the llm queue: POSTs answer 202, and the draft's status says
when they are ready. Posting is the client's: POST /api/v1/job-drafts/<id>/post/ with the (edited) `job_fields`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hiring.api import serializers as s
from hiring.models import JobDraft
from hiring.services import job_drafts as svc
from marketplace import policies
from marketplace.api import serializers as market
from marketplace.api.helpers import me, valid
from marketplace.errors import NotAllowed


def _drafts(request: Request):  # noqa: ANN202
    return JobDraft.objects.filter(organization_id__in=policies.org_ids(me(request)))


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
