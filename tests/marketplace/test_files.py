"""Attached files: only those who may see what a file is attached to can download it, by a link that
names no stored path; nothing is served from the media folder (it used to be, to anyone)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marketplace.services.contracts import milestone_submit
from marketplace.services.messaging import message_send, thread_for_contract
from offers.services import negotiation as offer_svc
from tests.factories import fixed_contract
from tests.helpers import as_
from tests.offers.test_negotiation import hourly_terms

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CAST = ["alice", "bob", "carol", "dave", "rita", "anonymous"]
# A deliverable, a message's file and an offer's brief: the parties and staff only.
EXPECTED = {"alice": 200, "bob": 200, "carol": 404, "dave": 404, "rita": 200, "anonymous": 302}


@pytest.fixture
def files(alice, bob, carol, dave, rita, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract = fixed_contract(client=alice, freelancer=bob)
    submission = milestone_submit(
        milestone=contract.milestones.get(position=1),
        by=bob,
        note="Done",
        files=[SimpleUploadedFile("Acme final design.pdf", PDF, content_type="application/pdf")],
    )
    message = message_send(
        thread=thread_for_contract(contract=contract),
        sender=alice,
        body="Passwords attached",
        files=[SimpleUploadedFile("secrets.txt", b"staging password: hunter2", content_type="text/plain")],
    )
    offer = offer_svc.offer_send(
        by=alice,
        freelancer=bob,
        terms=hourly_terms("40"),
        title="Support",
        files=[SimpleUploadedFile("brief.txt", b"What we need.", content_type="text/plain")],
    )
    world = {"users": {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "rita": rita}}
    return world, [
        submission.files.get(),
        message.files.get(),
        offer.versions.get().attachments.get().attachment,
    ]


@pytest.mark.django_db
def test_only_the_parties_and_staff_download_attached_files(files):
    world, attachments = files
    for item in attachments:
        for who in CAST:
            response = as_(world, who).get(item.get_absolute_url())
            assert response.status_code == EXPECTED[who], f"{who} GET {item.name}: {response.status_code}"
            if response.status_code == 200:
                assert b"".join(response.streaming_content) == item.file.open("rb").read()


@pytest.mark.django_db
def test_stored_names_are_random_and_the_media_folder_is_not_served(files):
    world, attachments = files
    for item in attachments:
        stored = item.file.name
        assert stored.startswith("attachments/") and item.name not in stored
        assert ".pdf" not in stored and ".txt" not in stored
        for who in CAST:
            assert as_(world, who).get(f"/media/{stored}").status_code == 404
    assert Client().get("/media/attachments/").status_code == 404


@pytest.mark.django_db
def test_text_is_downloaded_and_a_pdf_shown_under_its_own_name(files):
    world, attachments = files
    pdf, text, _ = attachments
    shown = as_(world, "alice").get(pdf.get_absolute_url())
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline") and "Acme final design.pdf" in shown["Content-Disposition"]
    downloaded = as_(world, "bob").get(text.get_absolute_url())
    assert (
        downloaded["Content-Disposition"].startswith("attachment")
        and "secrets.txt" in downloaded["Content-Disposition"]
    )
    assert "sandbox" in downloaded["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_and_the_api_link_to_the_download_view(files):
    world, attachments = files
    pdf, text, _ = attachments
    contract = pdf.submission.milestone.contract
    page = as_(world, "alice").get(f"/contracts/{contract.pk}/").content.decode()
    assert pdf.get_absolute_url() in page and pdf.file.name not in page
    api = as_(world, "alice").get(f"/api/v1/contracts/{contract.pk}/milestones/").json()
    urls = [f["url"] for m in api["results"] for s in m.get("submissions", []) for f in s["files"]]
    assert urls and all(url.endswith(pdf.get_absolute_url()) for url in urls)


@pytest.mark.django_db
def test_a_file_name_cannot_disguise_its_type(alice, bob, settings, tmp_path):
    """A right-to-left override makes "invoice‮fdp.txt" read as "invoicetxt.pdf": names are stored
    as a person reads them, without it."""
    settings.MEDIA_ROOT = tmp_path
    message = message_send(
        thread=thread_for_contract(contract=fixed_contract(client=alice, freelancer=bob)),
        sender=alice,
        body="Invoice attached",
        files=[SimpleUploadedFile("invoice\u202efdp.txt", b"total: 100", content_type="text/plain")],
    )

    assert message.files.get().name == "invoicefdp.txt"


@pytest.mark.django_db
def test_more_than_ten_files_at_once_are_a_400_naming_files(alice, bob, client_for, settings, tmp_path):
    """Each upload may be 10 MB, and Django lets a request carry 100 of them: a gigabyte a message."""
    settings.MEDIA_ROOT = tmp_path
    thread = thread_for_contract(contract=fixed_contract(client=alice, freelancer=bob))
    uploads = [SimpleUploadedFile(f"note{n}.txt", b"notes", content_type="text/plain") for n in range(11)]
    response = client_for(alice).post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "All of it", "files": uploads})

    assert response.status_code == 400 and "files" in response.json()["errors"]
    assert not thread.messages.exists() and not list(tmp_path.rglob("*.txt"))
