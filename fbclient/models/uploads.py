"""Uploaded files (``/uploads/account/{a}/attachments``) and the receipt an expense points at.

What FreshBooks documents: ``POST /uploads/account/{account_id}/attachments`` takes a multipart
form whose field ``content`` is the file, and answers ``{"attachment": {"filename",
"public_id", "jwt", "media_type", "uuid"}, "link": ...}``; ``GET /uploads/images/{jwt}``
downloads it (the official Python SDK's ``api/uploads.py``). An expense names its receipt as
``attachment: {"jwt", "media_type"}`` in the create or update body, and answers it back
(``id``, ``attachmentid``, ``jwt``, ``media_type``) only with ``include[]=attachment`` (the
``attachment`` include of DOC:expenses; the field names as in the FreshBooks PHP SDK's
``ExpenseAttachment`` model). [?] Unverified: whether FreshBooks sets ``has_receipt`` by itself
once an attachment is linked, and whether it refuses a body without ``media_type``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Attachment", "ExpenseAttachment", "Upload"]


class Upload(BaseModel):
    """FreshBooks' answer to an upload: the token that names the file from now on."""

    model_config = ConfigDict(extra="allow")

    jwt: str
    filename: str | None = None
    media_type: str | None = None
    public_id: str | None = None
    uuid: str | None = None
    link: str | None = None  # the answer's top-level download link, copied here


class ExpenseAttachment(BaseModel):
    """The receipt as an expense reads back (``include[]=attachment``)."""

    model_config = ConfigDict(extra="allow")

    id: int | None = None
    attachmentid: int | None = None
    jwt: str | None = None
    media_type: str | None = None


class Attachment(BaseModel):
    """The receipt as an expense create or update sends it: the upload's token and type."""

    model_config = ConfigDict(extra="forbid")

    jwt: str
    media_type: str
