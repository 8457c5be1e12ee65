"""Bodies of the "action" PUTs that invoices and estimates share (send by email).

FreshBooks documents that it processes a PUT in one phase: an action pre-empts any field
edits sent with it, so an action body carries nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["email_action"]


def email_action(
    recipients: Iterable[str] | str,
    *,
    customized_key: str,
    subject: str | None = None,
    body: str | None = None,
    include_pdf: bool | None = None,
) -> dict[str, Any]:
    """The ``action_email`` fields; ``customized_key`` names the subject/body object.

    ``include_pdf=None`` leaves ``email_include_pdf`` out of the body.
    """
    # A bare string would otherwise be iterated letter by letter.
    addresses = [recipients] if isinstance(recipients, str) else list(recipients)
    addresses = [a.strip() for a in addresses if a and a.strip()]
    if not addresses:
        raise ValueError("send_by_email needs at least one recipient address")
    fields: dict[str, Any] = {"action_email": True, "email_recipients": addresses}
    if include_pdf is not None:
        fields["email_include_pdf"] = include_pdf
    customized = {k: v for k, v in (("subject", subject), ("body", body)) if v is not None}
    if customized:
        fields[customized_key] = customized
    return fields
