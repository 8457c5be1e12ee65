"""Uploads: `POST /uploads/account/{account_id}/attachments` (multipart field `content`) and
`GET /uploads/images/{jwt}`, the stored file back. An expense links one with
`attachment: {jwt, media_type}` (see `sandbox.api.expenses`)."""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.api.accounting import account
from sandbox.api.plumbing import require, sandbox_of
from sandbox.core.answers import JSONAnswer
from sandbox.core.errors import ApiError, Problem, validation

COLLECTION = "uploads"
MAX_BYTES = 10 * 1024 * 1024  # [?] FreshBooks' own limit is not documented
MEDIA_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif"})


def stored_upload(books_business: Any, jwt: str) -> dict[str, Any] | None:
    """The stored upload named by `jwt` in a business, or None."""
    found: dict[str, Any] | None = books_business.col(COLLECTION).get(jwt)
    return found


def _sniffed(content: bytes, declared: str | None) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"GIF8"):
        return "image/gif"
    return declared if declared in MEDIA_TYPES else None


async def upload_attachment(request: Request) -> Response:
    """Store the multipart field `content`; answer its jwt, name and media type."""
    # [?] FreshBooks documents no scope for uploads: the expenses write scope guards it here.
    require(request, "user:expenses:write")
    business = account(request)
    async with request.form(max_files=1, max_fields=5) as form:  # closes its spooled files
        part = form.get("content")
        if not isinstance(part, UploadFile):
            raise validation([Problem(1001, "content is required.", "content", "attachment")])
        content = await part.read(MAX_BYTES + 1)
        filename, declared = part.filename, part.content_type
    if len(content) > MAX_BYTES:
        raise ApiError(413, [Problem(1004, "The file is too large.", "content", "attachment")])
    media_type = _sniffed(content, declared)
    if not content or media_type is None:
        raise validation(
            [Problem(1004, "The file type is not supported.", "content", "attachment")]
        )
    uploads = business.col(COLLECTION)
    number = len(uploads.items) + 1
    jwt = secrets.token_urlsafe(24)
    record = {
        "id": number,
        "jwt": jwt,
        "filename": filename or f"attachment-{number}",
        "media_type": media_type,
        "public_id": secrets.token_hex(8),
        "uuid": str(uuid.uuid4()),
        "_content": base64.b64encode(content).decode("ascii"),
    }
    business.save(COLLECTION, jwt, record)
    base = str(request.base_url).rstrip("/")
    shown = {k: v for k, v in record.items() if not k.startswith("_") and k != "id"}
    return JSONAnswer({"attachment": shown, "link": f"{base}/uploads/images/{jwt}"})


async def download(request: Request) -> Response:
    """The stored file with its media type (404 for an unknown jwt)."""
    # [?] Whether FreshBooks asks for the bearer token here is not documented; the SDKs send it.
    require(request, "user:expenses:read")
    jwt = request.path_params["jwt"]
    for business in sandbox_of(request).books.businesses.values():
        found = stored_upload(business, jwt)
        if found is not None:
            content = base64.b64decode(found["_content"])
            return Response(content, media_type=str(found["media_type"]))
    raise ApiError(404, [Problem(1012, "Attachment not found.", "jwt", "attachment", jwt)])


ROUTES = [
    Route("/uploads/account/{account_id}/attachments", upload_attachment, methods=["POST"]),
    Route("/uploads/images/{jwt}", download, methods=["GET"]),
]
