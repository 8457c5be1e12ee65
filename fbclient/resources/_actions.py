"""What invoices and estimates share: their lines asked for on every read and write, and the
"action" PUT that sends one by email.

FreshBooks documents that it processes a PUT in one phase: an action pre-empts any field
edits sent with it, so an action body carries nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from ..models._base import FBModel
from ._base import AccountingResource, WriteData

__all__ = ["LINES", "LinedDocument", "email_action"]

M = TypeVar("M", bound=FBModel)

# Lines only come back when asked for; whether GET-by-id includes them anyway is unverified [?].
LINES = ("lines",)


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


class LinedDocument(AccountingResource[M]):
    """An accounting document with lines (invoice, estimate): ``get``, ``create`` and
    ``update`` ask for ``include[]=lines`` unless told otherwise, and it can be emailed."""

    # The subject/body object of an email action ("invoice_customized_email").
    customized_email_key: ClassVar[str]
    # ``email_include_pdf`` sent when no PDF is asked for: False, or None to leave it out.
    pdf_when_not_asked: ClassVar[bool | None] = False

    def get(self, record_id: int | str, *, include: Iterable[str] = LINES) -> M:
        """One record, with its lines unless ``include`` says otherwise."""
        return super().get(record_id, include=include)

    def create(self, data: WriteData, *, include: Iterable[str] = LINES) -> M:
        """Create a record (answered with its lines); never retried automatically, as a
        retried create could make it twice."""
        return super().create(data, include=include)

    def update(self, record_id: int | str, data: WriteData, *, include: Iterable[str] = LINES) -> M:
        """Change the fields given (answered with its lines)."""
        return super().update(record_id, data, include=include)

    def send_by_email(
        self,
        record_id: int | str,
        recipients: Sequence[str],
        subject: str | None = None,
        body: str | None = None,
        include_pdf: bool = False,
    ) -> M:
        """Email the record to ``recipients`` (FreshBooks marks it sent).

        ``subject`` / ``body`` replace the template's text when given.
        """
        fields = email_action(
            recipients,
            customized_key=self.customized_email_key,
            subject=subject,
            body=body,
            include_pdf=True if include_pdf else self.pdf_when_not_asked,
        )
        return self.update(record_id, fields)
