"""People's decisions on Uma's recommendations, in the same append-only audit log as the recommendations
themselves: who decided what, about which recommendation (and so which model version)."""

from __future__ import annotations

import hashlib
import json

from uma.models import AuditRecord


def decision_record(
    *, task: str, actor: str, action: str, subject_ids: dict, detail: dict, about: int | None = None
) -> AuditRecord:
    """Record that `actor` took `action` on the output of audit record `about` (if any)."""
    recommendation = AuditRecord.objects.filter(pk=about).first() if about else None
    output = {"action": action, "about_audit_id": about, **detail}
    return AuditRecord.objects.create(
        task=task,
        model_version=recommendation.model_version if recommendation else "",
        prompt_version=recommendation.prompt_version if recommendation else "",
        actor=actor[:200],
        input_hash=hashlib.sha256(json.dumps(output, sort_keys=True, default=str).encode()).hexdigest(),
        subject_ids=subject_ids,
        output=json.loads(json.dumps(output, default=str)),
        source=AuditRecord.Source.HUMAN,
        grounded=True,
        latency_ms=0,
    )
