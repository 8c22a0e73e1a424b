"""Events other apps may follow without marketplace knowing them (the recruiter watches contracts).
Each is sent after the transaction that caused it commits; receivers should only enqueue work."""

from django.dispatch import Signal

# contract_id, what ("message_from_client", "revision_requested", ...)
contract_activity = Signal()
# invitation_id, status
invitation_answered = Signal()
# proposal_id
proposal_submitted = Signal()
