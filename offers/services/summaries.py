"""Uma's one-or-two-sentence summary of what a version changed.

The summary comes from Uma's change_summary task (uma.llm.runner.run), whose every number and date
must come from the structured diff; when the model's answer fails that check, the sentence built
from the diff stands in and the failure is in Uma's audit log. Until a version's summary is made
(by a worker, on the llm queue), pages show the sentence built from the diff.
"""

from __future__ import annotations

import logging

from marketplace.services.common import created_once
from offers.diff import Change, summary_input, terms_diff
from offers.models import OfferVersion, VersionSummary
from offers.terms import Terms

log = logging.getLogger(__name__)


def version_changes(version: OfferVersion) -> list[Change]:
    """What this version changed against the version it answered (the one before it)."""
    previous = version.offer.versions.filter(number=version.number - 1).first()
    if previous is None:
        return []
    return terms_diff(Terms.of(previous), Terms.of(version))


def diff_sentence(changes: list[Change]) -> str:
    from uma.task_specs.change_summary import ChangeSummaryInput, fallback

    if not changes:
        return "No terms changed."
    return fallback(ChangeSummaryInput.model_validate(summary_input(changes))).summary


def version_summarise(*, version_id: int, generate=None) -> VersionSummary | None:  # noqa: ANN001
    """Make (once) the summary of a version's changes. Safe to run twice: the second finds it made."""
    from uma.llm.runner import run

    version = OfferVersion.objects.select_related("offer").filter(pk=version_id).first()
    if version is None:
        return None
    existing = VersionSummary.objects.filter(version=version).first()
    if existing:
        return existing
    changes = version_changes(version)
    if not changes:
        text, source, model = "No terms changed.", "fallback", ""
    else:
        options = {"generate": generate} if generate is not None else {}
        result = run(
            "change_summary",
            summary_input(changes),
            subject_ids={"offer": version.offer_id, "version": version.number},
            **options,
        )
        text, source, model = result.output.summary, result.source, result.model_version  # type: ignore[attr-defined]
        if result.source == "fallback" and result.attempts:  # the model was asked, and its answers refused
            log.warning(
                "offer %s v%s: Uma's summary failed its checks (%s); the diff sentence stands in",
                version.offer_id,
                version.number,
                "; ".join(result.attempts),
            )
    return created_once(VersionSummary, key={"version": version}, text=text, source=source, model_version=model)


def summary_text(version: OfferVersion, previous: OfferVersion | None = None) -> str:
    """The summary to show: Uma's when made, else the sentence built from the diff (against
    `previous` when the caller has it, so a page of versions costs no query per version)."""
    try:
        return version.summary.text
    except VersionSummary.DoesNotExist:
        pass
    if previous is None:
        return diff_sentence(version_changes(version))
    return diff_sentence(terms_diff(Terms.of(previous), Terms.of(version)))
