"""Uploads: size- and type-checked before anything is stored."""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from marketplace.models import Attachment, Message, MilestoneSubmission, User
from marketplace.models.text import one_line

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES = 10  # on one message, offer version or submission
# extension -> the types its content may sniff as (None: plain text, which has no signature)
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
    ".zip": {"application/zip"},
    ".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".txt": None,
    ".md": None,
    ".csv": None,
}


def upload_check(upload: UploadedFile) -> str:
    """The checked content type of an upload, or ValidationError saying what is wrong."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        kinds = ", ".join(sorted(ALLOWED))
        raise ValidationError({"files": f"“{name}”: this type of file can't be attached (allowed: {kinds})."})
    if upload.size is None or upload.size == 0:
        raise ValidationError({"files": f"“{name}” is empty."})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"files": f"“{name}” is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."})
    head = upload.read(8192)
    upload.seek(0)
    expected = ALLOWED[extension]
    sniffed = filetype.guess_mime(head)
    if expected is None:
        if sniffed is not None or b"\x00" in head:
            raise ValidationError({"files": f"“{name}” is not a plain text file."})
        return "text/plain"
    if sniffed not in expected:
        raise ValidationError({"files": f"“{name}” does not contain what its name says ({extension})."})
    return sniffed


def uploads_check(uploads: list[UploadedFile] | None) -> None:
    """Check every upload of one request, and how many there are, before any is stored."""
    uploads = uploads or []
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": f"Attach at most {MAX_FILES} files at a time ({len(uploads)} were sent)."})
    for upload in uploads:
        upload_check(upload)


def attachment_create(
    *, upload: UploadedFile, by: User, message: Message | None = None, submission: MilestoneSubmission | None = None
) -> Attachment:
    content_type = upload_check(upload)
    return Attachment.objects.create(
        file=upload,
        name=one_line(PurePath(upload.name or "").name)[:200] or "file",
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=by,
        message=message,
        submission=submission,
    )
