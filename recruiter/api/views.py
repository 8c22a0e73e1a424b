"""/api/v1/risk-cases/: what the case page does, over the API. The contract's organisation acts;
Tandem's recruiters read; anyone else (the freelancer included) gets 404. Refusals from the services
are 400/403/409 like everywhere else; heavy work is queued (202) and the case's progress says when
the shortlist or the drafts are ready."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.helpers import me, valid
from recruiter.api import serializers as s
from recruiter.models import RiskCase, ShortlistEntry
from recruiter.policies import case_for, cases_visible, client_contract
from recruiter.services import cases as case_svc
from recruiter.services import invitations as invite_svc
from recruiter.services import shortlists as shortlist_svc


def _detail(case: RiskCase, *, code: int = status.HTTP_200_OK) -> Response:
    case.refresh_from_db()
    entries = shortlist_svc.shown_entries(case)
    case.shortlist = entries  # type: ignore[attr-defined]
    case.progress = shortlist_svc.progress(case, entries)  # type: ignore[attr-defined]
    return Response(s.CaseDetailSerializer(case).data, status=code)


class CaseList(generics.ListAPIView):
    """Risk cases on the user's contracts (every case, for recruiters), newest first; ?live=1 for open ones."""

    serializer_class = s.CaseSerializer

    def get_queryset(self):  # noqa: ANN201
        cases = cases_visible(me(self.request)).order_by("-detected_at", "-pk")
        if self.request.query_params.get("live") == "1":
            cases = cases.filter(status__in=RiskCase.LIVE)
        return cases


class CaseDetail(APIView):
    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _detail(case_for(me(request), pk))


class CaseShortlist(APIView):
    @extend_schema(request=s.PreferencesIn, responses={202: s.CaseDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Find again with these preferences (a new round; the old one is kept)."""
        case, data = case_for(me(request), pk, write=True), valid(s.PreferencesIn, request)
        shortlist_svc.shortlist_start(case=case, by=me(request), preferences=data["preferences"])
        return _detail(case, code=status.HTTP_202_ACCEPTED)


class CaseMore(APIView):
    @extend_schema(request=None, responses={202: s.CaseDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = case_for(me(request), pk, write=True)
        shortlist_svc.shortlist_more(case=case, by=me(request))
        return _detail(case, code=status.HTTP_202_ACCEPTED)


class EntryRemove(APIView):
    @extend_schema(request=s.ReasonIn, responses=s.CaseDetailSerializer)
    def post(self, request: Request, pk: int, entry_pk: int) -> Response:
        case, data = case_for(me(request), pk, write=True), valid(s.ReasonIn, request)
        entry = get_object_or_404(ShortlistEntry, pk=entry_pk, case=case)
        shortlist_svc.entry_remove(entry=entry, by=me(request), reason=data["reason"])
        return _detail(case)


class CaseDrafts(APIView):
    @extend_schema(request=s.EntriesIn, responses={202: s.EntrySerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        """Ask Uma to draft invitations for these candidates; poll the case for the drafts."""
        case, data = case_for(me(request), pk, write=True), valid(s.EntriesIn, request)
        chosen = invite_svc.drafts_request(case=case, by=me(request), entry_ids=data["entries"])
        return Response(s.EntrySerializer(chosen, many=True).data, status=status.HTTP_202_ACCEPTED)


class CaseInvitations(APIView):
    @extend_schema(request=s.SendIn, responses={201: s.EntrySerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        """Send the invitations (each person once, however often this is called); answers those sent now."""
        case, data = case_for(me(request), pk, write=True), valid(s.SendIn, request)
        sent = invite_svc.invitations_send(
            case=case, by=me(request), messages=data["messages"], offer_on_accept=data["offer_on_accept"]
        )
        return Response(s.EntrySerializer(sent, many=True).data, status=status.HTTP_201_CREATED if sent else 200)


class CaseAction(APIView):
    @extend_schema(operation_id="risk_cases_act", request=None, responses=s.CaseDetailSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        """ask-person (a Tandem recruiter takes over), resolve (back on track), replace (end the old contract)."""
        case, user = case_for(me(request), pk, write=True), me(request)
        run = {
            "ask-person": lambda: case_svc.case_ask_person(case=case, by=user),
            "resolve": lambda: case_svc.case_resolve(case=case, by=user),
            "replace": lambda: case_svc.case_replace(case=case, by=user),
        }.get(action)
        if run is None:
            return Response({"detail": "Unknown action."}, status=404)
        run()
        return _detail(case)


class ContractConcern(APIView):
    @extend_schema(request=s.ConcernIn, responses={201: s.ConcernIn})
    def post(self, request: Request, pk: int) -> Response:
        """The client is worried about a contract (Uma looks at it now)."""
        contract, data = client_contract(me(request), pk), valid(s.ConcernIn, request)
        case_svc.concern_raise(contract=contract, by=me(request), note=data["note"], wants_person=data["wants_person"])
        return Response(data, status=status.HTTP_201_CREATED)
