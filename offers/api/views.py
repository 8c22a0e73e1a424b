"""/api/v1/offers/: the negotiation over the API. Outsiders get 404; every action names the version it
was made against (409 with what moved when the offer changed since); refusals are 400/403/409/429."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace import policies as market
from marketplace.api.helpers import me, valid
from marketplace.models import User
from marketplace.snapshot_cache import CachedGet
from offers.api import serializers as s
from offers.diff import terms_diff
from offers.models import Offer, OfferVersion
from offers.policies import offers_visible
from offers.selectors import LIST_STATUSES, offers_for_list
from offers.services import negotiation as svc
from offers.services.safety import offer_report
from offers.terms import Terms


def _offer(request: Request, pk: int) -> Offer:
    return get_object_or_404(offers_visible(me(request)).select_related("organization", "client", "freelancer"), pk=pk)


def _detail(offer: Offer) -> dict:
    """The offer as it is now, with its versions (their authors read in the same query)."""
    versions = Prefetch("versions", queryset=OfferVersion.objects.select_related("author", "based_on"))
    return s.OfferDetailSerializer(
        Offer.objects.select_related("organization").prefetch_related(versions).get(pk=offer.pk)
    ).data


def _terms(data: dict) -> dict:
    terms = dict(data.get("terms") or {})
    terms["milestones"] = [dict(m) for m in terms.get("milestones") or []]
    return terms


@extend_schema(parameters=[OpenApiParameter("status", str, enum=list(LIST_STATUSES))])
class OfferList(generics.ListAPIView):
    serializer_class = s.OfferSerializer

    def get_queryset(self):  # noqa: ANN201
        return offers_for_list(user=me(self.request), status=self.request.query_params.get("status", ""))

    @extend_schema(request=s.OfferSendIn, responses={201: s.OfferDetailSerializer})
    def post(self, request: Request) -> Response:
        data = valid(s.OfferSendIn, request)
        user = me(request)
        source: dict = {}
        if data.get("proposal"):
            source["proposal"] = get_object_or_404(market.proposals_visible(user), pk=data["proposal"])
        elif data.get("invitation"):
            source["invitation"] = get_object_or_404(market.invitations_visible(user), pk=data["invitation"])
        else:
            source["freelancer"] = get_object_or_404(User, pk=data.get("freelancer"), kind=User.Kind.FREELANCER)
            if data.get("job"):
                source["job"] = get_object_or_404(market.jobs_visible(user), pk=data["job"])
        offer = svc.offer_send(by=user, terms=_terms(data), title=data["title"], message=data["message"], **source)
        return Response(_detail(offer), status=status.HTTP_201_CREATED)


class OfferDetail(CachedGet, generics.RetrieveAPIView):
    serializer_class = s.OfferDetailSerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:  # noqa: ANN002, ANN003
        return Response(_detail(_offer(request, self.kwargs["pk"])))


class OfferDiff(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int), OpenApiParameter("to", int)], responses=s.ChangeOut(many=True)
    )
    def get(self, request: Request, pk: int) -> Response:
        offer = _offer(request, pk)
        try:
            a = int(request.query_params.get("from", max(offer.version_count - 1, 1)))
            b = int(request.query_params.get("to", offer.version_count))
        except ValueError:
            return Response({"detail": "from and to are version numbers."}, status=400)
        old, new = (get_object_or_404(offer.versions, number=n) for n in (a, b))
        return Response([c.as_json() for c in terms_diff(Terms.of(old), Terms.of(new))])


class OfferAction(APIView):
    @extend_schema(operation_id="offers_act", request=s.ActionIn, responses=s.OfferDetailSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        offer, user = _offer(request, pk), me(request)
        if action == "report":
            offer_report(offer=offer, by=user, note=valid(s.ReportIn, request)["note"])
            return Response(_detail(offer), status=status.HTTP_201_CREATED)
        data = valid(s.ActionIn, request)
        expected = data["expected_version"]
        run = {
            "accept": lambda: svc.offer_accept(offer=offer, by=user, expected_version=expected),
            "decline": lambda: svc.offer_decline(
                offer=offer, by=user, expected_version=expected, reason=data["reason"]
            ),
            "counter": lambda: svc.offer_counter(
                offer=offer, by=user, expected_version=expected, terms=_terms(data), message=data["message"]
            ),
            "reject": lambda: svc.offer_reject(
                offer=offer, by=user, expected_version=expected, message=data["message"]
            ),
            "withdraw": lambda: svc.offer_withdraw(
                offer=offer, by=user, expected_version=expected, reason=data["reason"], note=data["note"]
            ),
            "revert": lambda: svc.offer_revert(
                offer=offer, by=user, expected_version=expected, number=data["number"], message=data["message"]
            ),
        }.get(action)
        if run is None:
            return Response({"detail": "Unknown action."}, status=404)
        if action == "counter" and "terms" not in data:
            return Response({"errors": {"terms": ["A counter-offer needs its terms."]}}, status=400)
        try:
            run()
        except svc.OfferMoved as moved:
            offer.refresh_from_db()
            latest, seen = offer.versions.get(number=moved.current), offer.versions.filter(number=moved.seen).first()
            changes = terms_diff(Terms.of(seen), Terms.of(latest)) if seen else []
            return Response(
                {"detail": moved.message, "current_version": moved.current, "changed": [c.as_json() for c in changes]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(_detail(offer))


class ContractChanges(APIView):
    @extend_schema(
        operation_id="contracts_propose_change", request=s.ChangeIn, responses={201: s.OfferDetailSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        contract = get_object_or_404(market.contracts_visible(me(request)), pk=pk)
        data = valid(s.ChangeIn, request)
        offer = svc.change_propose(contract=contract, by=me(request), terms=_terms(data), message=data["message"])
        return Response(_detail(offer), status=status.HTTP_201_CREATED)
