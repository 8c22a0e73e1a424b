from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.errors import NotAllowed, TooMany
from marketplace.models import Contract, Message, Notification, ThreadRead
from marketplace.services import contracts as contract_svc
from marketplace.services.messaging import message_send, thread_for_contract
from marketplace.services.notifications import notification_emails_send, notification_preference_update
from marketplace.services.stats import freelancer_stats_refresh
from tests.factories import fixed_contract, hourly_contract
from tests.helpers import race, wait_for, winners


def backdate_end(contract: Contract, days: int) -> None:
    Contract.objects.filter(pk=contract.pk).update(ended_at=timezone.now() - timedelta(days=days))


@pytest.mark.django_db
class TestJobSuccess:
    def test_no_history_no_score_and_says_why(self, bob):
        profile = freelancer_stats_refresh(user_id=bob.pk)
        assert profile.job_success_score is None
        assert "no ended contracts" in profile.job_success_basis["method"]

    def test_recent_and_larger_contracts_weigh_more(self, alice, bob):
        good = fixed_contract(client=alice, freelancer=bob, ref="good")  # 1000
        contract_svc.contract_end(contract=good, by=alice, reason="completed")
        bad = hourly_contract(client=alice, freelancer=bob, ref="bad")  # 20h x 40 = 800
        monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
        for day in (monday, monday + timedelta(days=1)):
            contract_svc.time_log_add(contract=bad, by=bob, day=day, hours=Decimal(10), memo="work")
        contract_svc.contract_end(contract=bad, by=alice, reason="unresponsive")
        backdate_end(bad, 600)  # long ago
        profile = freelancer_stats_refresh(user_id=bob.pk)
        assert profile.job_success_basis["contracts"] == 2
        assert profile.job_success_basis["ended_well"] == 1
        assert 70 < profile.job_success_score < 100

        backdate_end(bad, 1)
        backdate_end(good, 600)
        assert freelancer_stats_refresh(user_id=bob.pk).job_success_score < 30

    def test_a_low_client_rating_counts_as_not_ending_well(self, alice, bob):
        contract = fixed_contract(client=alice, freelancer=bob)
        contract_svc.contract_end(contract=contract, by=alice, reason="completed")
        contract_svc.feedback_leave(contract=contract, by=alice, rating=2, review="Late and sloppy")
        profile = freelancer_stats_refresh(user_id=bob.pk)
        assert profile.job_success_score == 0
        assert profile.rating_avg == Decimal("2.00")
        assert profile.rating_count == 1

    def test_hours_and_earnings(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob, rate="50.00")
        contract_svc.time_log_add(contract=contract, by=bob, day=timezone.localdate(), hours=Decimal("3"), memo="x")
        fixed = fixed_contract(client=alice, freelancer=bob)
        milestone = fixed.milestones.get(position=1)
        contract_svc.milestone_submit(milestone=milestone, by=bob, note="done")
        contract_svc.milestone_approve(milestone=milestone, by=alice)
        contract_svc.milestone_pay(milestone=milestone, by=alice)
        profile = freelancer_stats_refresh(user_id=bob.pk)
        assert profile.total_hours == Decimal("3.00")
        assert profile.total_earnings == Decimal("450.00")  # 3h x 50 + 300 paid


@pytest.mark.django_db
class TestResponsiveness:
    def test_median_hours_from_client_message_to_reply(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        thread = thread_for_contract(contract=contract)
        start = timezone.now() - timedelta(days=10)
        timeline = [(alice, 0), (alice, 1), (bob, 2), (alice, 10), (bob, 14), (alice, 20), (bob, 21), (alice, 30)]
        Message.objects.bulk_create(
            [Message(thread=thread, sender=who, body="m", created_at=start + timedelta(hours=h)) for who, h in timeline]
        )
        profile = freelancer_stats_refresh(user_id=bob.pk)
        assert profile.response_hours == 2.0  # replies after 2h, 4h and 1h
        assert profile.response_basis["replies"] == 3
        assert profile.response_basis["unanswered"] == 1


@pytest.mark.django_db
class TestMessages:
    def test_send_marks_read_for_the_sender_and_notifies_the_other_side(self, alice, bob):
        contract = hourly_contract(client=alice, freelancer=bob)
        thread = thread_for_contract(contract=contract)
        message = message_send(thread=thread, sender=bob, body="Pushed the first endpoints.")
        assert ThreadRead.objects.get(thread=thread, user=bob).last_read_at == message.created_at
        assert Notification.objects.filter(user=alice, event_key=f"message:{message.pk}").count() == 1
        assert not Notification.objects.filter(user=bob, kind="message_received").exists()

    def test_outsiders_cannot_write(self, alice, bob, dave, carol):
        thread = thread_for_contract(contract=hourly_contract(client=alice, freelancer=bob))
        for outsider in (dave, carol):
            with pytest.raises(NotAllowed):
                message_send(thread=thread, sender=outsider, body="hello")
        assert not Message.objects.exists()


@pytest.mark.django_db
class TestNotificationEmail:
    def test_each_notification_is_emailed_once_and_preferences_are_kept(self, alice, bob, carol):
        contract = hourly_contract(client=alice, freelancer=bob)
        notification_preference_update(user=alice, email_enabled=True, email_muted_kinds=["message_received"])
        message = message_send(thread=thread_for_contract(contract=contract), sender=bob, body="Hi")
        assert notification_emails_send(event_key=f"message:{message.pk}") == 0  # muted
        contract_svc.contract_end(contract=contract, by=alice, reason="completed")
        key = f"contract:{contract.pk}:end"
        assert notification_emails_send(event_key=key) == 2
        assert notification_emails_send(event_key=key) == 0  # running it again sends nothing
        assert sorted(m.to[0] for m in mail.outbox) == ["alice@tandem.test", "bob@tandem.test"]


@pytest.mark.django_db(transaction=True)
def test_notification_email_goes_out_through_the_worker(celery_worker, alice, bob):
    contract = hourly_contract(client=alice, freelancer=bob)
    contract_svc.contract_end(contract=contract, by=alice, reason="completed")
    ended = Notification.objects.filter(event_key=f"contract:{contract.pk}:end")
    wait_for(lambda: ended.filter(emailed_at__isnull=False).count() == 2 and len(mail.outbox) >= 4)
    assert ended.filter(emailed_at__isnull=False).count() == 2
    ended_mail = sorted(m.to[0] for m in mail.outbox if "has ended" in m.subject)
    assert ended_mail == ["alice@tandem.test", "bob@tandem.test"]


@pytest.mark.django_db
def test_a_chatty_thread_is_one_email_until_it_is_read(client_for, alice, bob):
    """Each message was an email: twenty lines of chat, twenty emails. Now one, until the thread (or the
    bell) is read; the bell still counts every message."""
    contract = hourly_contract(client=alice, freelancer=bob)
    thread = thread_for_contract(contract=contract)

    def say(body: str) -> int:
        message = message_send(thread=thread, sender=bob, body=body)
        return notification_emails_send(event_key=f"message:{message.pk}")

    assert [say(line) for line in ("Pushed", "Also the tests", "And docs")] == [1, 0, 0]
    assert Notification.objects.filter(user=alice, kind="message_received", read_at__isnull=True).count() == 3
    client_for(alice).get(contract.get_absolute_url())  # reading the thread reads its news in the bell
    assert not Notification.objects.filter(user=alice, kind="message_received", read_at__isnull=True).exists()
    assert say("One more thing") == 1
    assert [m.to for m in mail.outbox] == [["alice@tandem.test"]] * 2


@pytest.mark.django_db
def test_messages_are_limited_per_sender_per_hour(alice, bob, client_for, settings):
    """Each message is a notification (and an email) for the other side: a script posting in a loop
    buried their inbox, with nothing to stop it."""
    settings.MESSAGES_PER_HOUR = 2
    thread = thread_for_contract(contract=fixed_contract(client=alice, freelancer=bob))
    client = client_for(bob)
    sent = [client.post(f"/messages/{thread.pk}/post/", {"body": f"Hello {n}"}).status_code for n in range(2)]
    page = client.post(f"/messages/{thread.pk}/post/", {"body": "Again"}, headers={"HX-Request": "true"})
    api = client.post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "Again"}, content_type="application/json")

    assert sent == [302, 302]
    assert page.status_code == 429 and "in the last hour" in page.content.decode()
    assert api.status_code == 429
    assert thread.messages.count() == 2
    assert client_for(alice).post(f"/messages/{thread.pk}/post/", {"body": "Hi"}).status_code == 302  # per sender


@pytest.mark.django_db(transaction=True)
def test_the_message_limit_holds_at_the_same_instant(alice, bob, settings):
    settings.MESSAGES_PER_HOUR = 3
    thread = thread_for_contract(contract=fixed_contract(client=alice, freelancer=bob))
    outcomes = race(*[(lambda n=n: message_send(thread=thread, sender=bob, body=f"Hi {n}")) for n in range(6)])

    assert len(winners(outcomes)) == 3
    assert all(isinstance(o, TooMany) for o in outcomes if isinstance(o, Exception))
    assert thread.messages.count() == 3
