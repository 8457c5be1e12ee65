"""A receipt's text: a digital PDF's own text through pypdf, an image (or a scanned PDF's
pictures) through Debian's Tesseract OCR when it is installed."""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .files import ReceiptError, ReceiptFile

__all__ = ["OCR_HINT", "ReceiptText", "ocr_available", "read_text"]

log = logging.getLogger(__name__)

OCR_HINT = (
    "Reading photos and scans needs Tesseract OCR: `sudo apt-get install tesseract-ocr`, "
    "then restart the app. Digital PDFs are read without it."
)
MAX_PAGES = 3  # a receipt is a page or two; a long PDF is not read to its end
OCR_TIMEOUT_S = 60
# Tesseract reads best when capital letters are 20-40 pixels tall: small photos are enlarged,
# huge ones reduced (a 12-megapixel photo costs seconds for no better reading).
MIN_WIDTH, MAX_WIDTH = 1200, 2400
MAX_PIXELS = 60_000_000  # beyond this Pillow's decompression-bomb guard would be near


@dataclass(frozen=True)
class ReceiptText:
    """What was read and how: ``source`` says whether OCR was involved."""

    text: str
    source: Literal["pdf", "ocr", "none"]
    ocr_missing: bool = False  # an image that OCR would have read, had it been installed


def ocr_available() -> bool:
    """Whether the ``tesseract`` binary is on the PATH."""
    return shutil.which("tesseract") is not None


def read_text(receipt: ReceiptFile) -> ReceiptText:
    """The receipt's text; raises :class:`ReceiptError` for a file that cannot be opened."""
    if receipt.kind == "pdf":
        return _pdf_text(receipt)
    if not ocr_available():
        return ReceiptText("", "none", ocr_missing=True)
    return ReceiptText(_ocr(_open_image(receipt.content, receipt.name)), "ocr")


def _pdf_text(receipt: ReceiptFile) -> ReceiptText:
    try:
        reader = PdfReader(io.BytesIO(receipt.content))
        if reader.is_encrypted:
            raise ReceiptError(f"{receipt.name} is a password-protected PDF.")
        pages = reader.pages[:MAX_PAGES]
        text = "\n".join((page.extract_text() or "") for page in pages)
        if text.strip():
            return ReceiptText(text, "pdf")
        # A scanned PDF: its text is in the pictures on its pages.
        pictures = [picture.data for page in pages for picture in page.images]
    except ReceiptError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReceiptError(f"{receipt.name} is not a PDF that can be read.") from exc
    if not pictures:
        return ReceiptText("", "none")
    if not ocr_available():
        return ReceiptText("", "none", ocr_missing=True)
    texts = [_ocr(_open_image(data, receipt.name)) for data in pictures[:MAX_PAGES]]
    return ReceiptText("\n".join(texts), "ocr")


def _open_image(content: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ReceiptError(f"{name} is too large an image to read.")
            image.load()
    except ReceiptError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ReceiptError(f"{name} is not an image that can be read.") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ReceiptError(f"{name} is too large an image to read.") from exc
    return _prepared(image)


def _prepared(image: Image.Image) -> Image.Image:
    """Upright (the camera's EXIF turn), grey, sized for Tesseract, contrast stretched."""
    image = ImageOps.exif_transpose(image) or image
    grey = ImageOps.grayscale(image.convert("RGB"))
    if grey.width < MIN_WIDTH or grey.width > MAX_WIDTH:
        scale = (MIN_WIDTH if grey.width < MIN_WIDTH else MAX_WIDTH) / grey.width
        size = (round(grey.width * scale), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return ImageOps.autocontrast(grey, cutoff=1)


def _tesseract(image: Image.Image, *options: str) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", *options],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("tesseract failed: %s", type(exc).__name__)
        return ""
    return done.stdout.decode("utf-8", errors="replace")


_ROTATE = re.compile(r"Rotate:\s*(\d+)")


def _upright(image: Image.Image) -> Image.Image:
    """Turned the way Tesseract's orientation detection says the text stands (a photo taken
    sideways); unchanged when it cannot tell (too little text)."""
    found = _ROTATE.search(_tesseract(image, "--psm", "0"))
    degrees = int(found.group(1)) if found else 0
    # Tesseract says how far to turn clockwise; Pillow turns counter-clockwise.
    return (
        image.rotate(-degrees, expand=True, fillcolor=255) if degrees in (90, 180, 270) else image
    )


_MONEY = re.compile(r"\d[.,]\d{2}\b")
_TOTAL = re.compile(r"total|amount|due|summe|montant", re.IGNORECASE)


def _legible(text: str) -> bool:
    """Enough read to find a total: a total line and a few amounts."""
    return bool(_TOTAL.search(text)) and len(_MONEY.findall(text)) >= 2


# Cleaner copies tried in turn when the plain one reads badly: speckled scans lose their
# specks to a median filter, soft photos regain edges with an unsharp mask.
_CLEANERS: tuple[ImageFilter.Filter, ...] = (
    ImageFilter.MedianFilter(3),
    ImageFilter.UnsharpMask(radius=3, percent=200, threshold=2),
)


def _ocr(image: Image.Image) -> str:
    image = _upright(image)
    # psm 4: one column of text of varying sizes, the shape of a till receipt.
    text = _tesseract(image, "--psm", "4")
    if _legible(text):
        return text
    tries = [text]
    for clean in _CLEANERS:
        tries.append(_tesseract(_upright(image.filter(clean)), "--psm", "4"))
        if _legible(tries[-1]):
            return tries[-1]
    return max(tries, key=lambda t: len(_MONEY.findall(t)))
