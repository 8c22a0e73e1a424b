"""Random sequences of negotiation actions, by either side, on fresh or stale versions.

Invariants after every step: at most one contract per offer; once accepted, the contract's terms
are the accepted version's; no version ever changes; a refused action changes nothing.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from marketplace.errors import DomainError
from marketplace.models import Contract
from offers.models import Offer
from offers.services import negotiation as svc
from offers.terms import Terms
from tests.factories import FreelancerFactory
from tests.offers.test_negotiation import fixed_terms, hourly_terms

TERMS = st.one_of(
    st.sampled_from(["35", "40", "52.50", "0", "-3", "1.005"]).map(hourly_terms),
    st.sampled_from(["900.00", "1500.00", "1499.99"]).map(lambda total: fixed_terms(total, (("All", total, 9),))),
)


def snapshot(offer: Offer) -> dict:
    return {
        v.number: (v.author_id, v.kind, v.message, Terms.of(v).as_json(), v.created_at)
        for v in offer.versions.order_by("number")
    }


class Negotiation(RuleBasedStateMachine):
    client = None

    @initialize()
    def start(self) -> None:
        self.freelancer = FreelancerFactory()
        self.offer = svc.offer_send(by=self.client, freelancer=self.freelancer, terms=hourly_terms(), title="Work")
        self.seen = snapshot(self.offer)

    def who(self, side: str):  # noqa: ANN201
        return self.client if side == "client" else self.freelancer

    def attempt(self, action) -> None:  # noqa: ANN001
        before = (self.offer.status, self.offer.version_count, snapshot(self.offer))
        try:
            action()
        except (DomainError, ValidationError):
            self.offer.refresh_from_db()
            assert (self.offer.status, self.offer.version_count, snapshot(self.offer)) == before
        self.offer.refresh_from_db()

    def version(self, stale: bool) -> int:
        return self.offer.version_count - 1 if stale else self.offer.version_count

    @rule(side=st.sampled_from(["client", "freelancer"]), terms=TERMS, stale=st.booleans())
    def counter(self, side, terms, stale) -> None:  # noqa: ANN001
        self.attempt(
            lambda: svc.offer_counter(
                offer=self.offer, by=self.who(side), expected_version=self.version(stale), terms=terms, message="why"
            )
        )

    @rule(side=st.sampled_from(["client", "freelancer"]), stale=st.booleans())
    def accept(self, side, stale) -> None:  # noqa: ANN001
        self.attempt(
            lambda: svc.offer_accept(offer=self.offer, by=self.who(side), expected_version=self.version(stale))
        )

    @rule(side=st.sampled_from(["client", "freelancer"]))
    def reject(self, side) -> None:  # noqa: ANN001
        self.attempt(
            lambda: svc.offer_reject(offer=self.offer, by=self.who(side), expected_version=self.version(False))
        )

    @rule(side=st.sampled_from(["client", "freelancer"]), number=st.integers(0, 6))
    def revert(self, side, number) -> None:  # noqa: ANN001
        self.attempt(
            lambda: svc.offer_revert(
                offer=self.offer, by=self.who(side), expected_version=self.version(False), number=number
            )
        )

    @rule()
    def decline(self) -> None:
        self.attempt(
            lambda: svc.offer_decline(
                offer=self.offer, by=self.freelancer, expected_version=self.version(False), reason="busy"
            )
        )

    @rule(side=st.sampled_from(["client", "freelancer"]))
    def withdraw(self, side) -> None:  # noqa: ANN001
        self.attempt(
            lambda: svc.offer_withdraw(
                offer=self.offer, by=self.who(side), expected_version=self.version(False), reason="edit_terms"
            )
        )

    @invariant()
    def versions_never_change(self) -> None:
        now = snapshot(self.offer)
        assert list(now) == list(range(1, self.offer.version_count + 1))
        assert all(now[n] == self.seen[n] for n in self.seen)
        self.seen = now

    @invariant()
    def one_contract_with_the_agreed_terms(self) -> None:
        contracts = list(Contract.objects.filter(source_ref=f"offer:{self.offer.pk}"))
        assert len(contracts) <= 1
        assert bool(contracts) == (self.offer.status == Offer.Status.ACCEPTED)
        if contracts:
            contract, agreed = contracts[0], Terms.of(self.offer.versions.get(number=self.offer.accepted_version))
            assert self.offer.accepted_version == self.offer.version_count
            assert (contract.contract_type, contract.hourly_rate, contract.weekly_limit) == (
                agreed.contract_type,
                agreed.hourly_rate,
                agreed.weekly_limit,
            )
            if agreed.contract_type == "fixed":
                assert contract.fixed_amount == agreed.fixed_amount
                assert [(m.title, Decimal(m.amount)) for m in contract.milestones.order_by("position")] == [
                    (m.title, m.amount) for m in agreed.milestones
                ]


@pytest.mark.django_db
def test_negotiation_state_machine(alice, settings):
    settings.OFFERS_CHANGES_PER_HOUR = 100
    settings.OFFERS_PER_DAY = 10_000  # every example sends afresh, in one test
    Negotiation.client = alice
    run_state_machine_as_test(
        Negotiation,
        settings=hypothesis_settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,  # the same sequences on every run, so CI is repeatable
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    reached = set(Offer.objects.values_list("status", flat=True))
    assert {"accepted", "open"} <= reached  # the random runs did reach agreement, and stayed open
