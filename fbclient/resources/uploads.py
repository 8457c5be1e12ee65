"""Uploads: ``POST /uploads/account/{account_id}/attachments`` (multipart) and the download.

See :mod:`fbclient.models.uploads` for what FreshBooks documents and what stays unverified.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import ResponseFormatError
from ..models.uploads import Upload
from ..scopes import Access
from ._base import ScopedResource

__all__ = ["Uploads"]


class Uploads(ScopedResource):
    """Receipt files: upload one (never retried, like every POST) and read it back."""

    # [?] FreshBooks documents no scope of its own for uploads; the receipt belongs to an
    # expense, so the expenses scope guards it here.
    scopes: ClassVar[Access] = Access("expenses")

    def upload_attachment(self, filename: str, content: bytes, media_type: str) -> Upload:
        """Upload a file as an attachment; the answer's ``jwt`` names it on an expense."""
        account = self._scope.require_account()
        body: Any = self.http.request(
            "POST",
            f"/uploads/account/{account}/attachments",
            files={"content": (filename, content, media_type)},
        )
        found = body.get("attachment") if isinstance(body, dict) else None
        if not isinstance(found, dict) or not found.get("jwt"):
            raise ResponseFormatError("FreshBooks answered the upload without an attachment")
        link = body.get("link")
        return Upload.model_validate({**found, "link": link if isinstance(link, str) else None})

    def download_path(self, jwt: str) -> str:
        """Where the uploaded file is read back (``GET``, the bearer token in the header)."""
        return f"/uploads/images/{jwt}"
