"""A dropped file: its bytes, what kind it really is (by its first bytes, not its name), and
the limits a receipt must keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["MAX_BYTES", "MEDIA_TYPES", "ReceiptError", "ReceiptFile"]

# Phone photos run to a few megabytes; beyond this the file is refused before it is read.
MAX_BYTES = 10 * 1024 * 1024
Kind = Literal["pdf", "png", "jpeg"]
MEDIA_TYPES: dict[Kind, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
}


class ReceiptError(ValueError):
    """A file that cannot be read as a receipt; ``str(error)`` is the sentence to show."""


def _kind_of(content: bytes) -> Kind | None:
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


@dataclass(frozen=True)
class ReceiptFile:
    """One receipt file as dropped: its name, bytes and kind (checked on creation)."""

    name: str
    content: bytes
    kind: Kind

    @classmethod
    def of(cls, name: str, content: bytes) -> ReceiptFile:
        """Check the file's size and kind; raise :class:`ReceiptError` with the reason."""
        label = name or "The file"
        if not content:
            raise ReceiptError(f"{label} is empty.")
        if len(content) > MAX_BYTES:
            raise ReceiptError(
                f"{label} is {len(content) / 1_048_576:.1f} MB; receipts up to "
                f"{MAX_BYTES // 1_048_576} MB can be read."
            )
        kind = _kind_of(content)
        if kind is None:
            raise ReceiptError(f"{label} is not a PDF, PNG or JPEG file.")
        return cls(name=name or f"receipt.{kind}", content=content, kind=kind)

    @property
    def media_type(self) -> str:
        """The MIME type FreshBooks is told on upload."""
        return MEDIA_TYPES[self.kind]
