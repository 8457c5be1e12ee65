"""A corpus of receipts made on the spot (no binary fixtures): digital PDFs (fpdf2) and images
rendered with Pillow at different sizes, turns, noise and blur, plus pages that are not
receipts. Each comes with the fields a perfect reading would find.

Used by the receipts accuracy test and ``python -m bench.receipts``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["CATEGORIES", "HISTORY", "Sample", "corpus"]

CENT = Decimal("0.01")

# The business the corpus is read against: its categories and its past expenses (vendor,
# category id), so "same vendor before -> that category" can be measured.
CATEGORIES: dict[int, str] = {
    1: "Meals and Entertainment",
    2: "Taxi & Rideshare",
    3: "Office Supplies",
    4: "Hotel & Lodging",
    5: "Airfare",
    6: "Gas",
    7: "Postage & Shipping",
    8: "Printing & Production",
    9: "Subscriptions",
    10: "Equipment",
}
HISTORY: list[tuple[str, int]] = [
    *[("Joe Coffee", 1)] * 4,
    *[("Uber", 2)] * 3,
    *[("Staples", 3)] * 2,
    ("Staples", 10),  # one filed elsewhere: the majority still wins
    *[("Moo Print", 8)] * 2,
    ("Hotel Zetta", 4),
    *[("FedEx", 7)] * 2,
    ("B&H Photo", 10),
]


@dataclass(frozen=True)
class Spec:
    """What is printed on one receipt."""

    vendor: str
    day: dt.date
    items: tuple[tuple[str, str], ...]
    currency: str
    tax_label: str | None = "Sales Tax"
    tax_rate: Decimal = Decimal("0.08875")
    date_style: str = "us"  # us | iso | eu | long
    total_label: str = "TOTAL"
    code_printed: bool = True
    address: str = "123 Main St, New York NY"

    @property
    def subtotal(self) -> Decimal:
        return sum((Decimal(a) for _, a in self.items), Decimal(0))

    @property
    def tax(self) -> Decimal | None:
        if self.tax_label is None:
            return None
        return (self.subtotal * self.tax_rate).quantize(CENT)

    @property
    def total(self) -> Decimal:
        return self.subtotal + (self.tax or Decimal(0))

    def lines(self) -> list[str]:
        day = {
            "us": f"{self.day:%m/%d/%Y}",
            "iso": self.day.isoformat(),
            "eu": f"{self.day:%d.%m.%Y}",
            "long": f"{self.day:%b} {self.day.day}, {self.day.year}",
        }[self.date_style]
        code = f" {self.currency}" if self.code_printed else ""
        out = [self.vendor.upper(), self.address, f"Date: {day}  14:32", ""]
        out += [f"{name:<22}{Decimal(amount):>10.2f}" for name, amount in self.items]
        out.append(f"{'Subtotal':<22}{self.subtotal:>10.2f}")
        if self.tax is not None:
            rate = (self.tax_rate * 100).normalize()
            out.append(f"{f'{self.tax_label} {rate}%':<22}{self.tax:>10.2f}")
        out.append(f"{self.total_label + code:<22}{self.total:>10.2f}")
        out += ["", "VISA ****4417", "Thank you for your visit!"]
        return out


@dataclass(frozen=True)
class Sample:
    """One file of the corpus and what it should read as (``receipt`` False: not one)."""

    name: str
    content: bytes
    kind: str  # "pdf" or "image", for the accuracy table's halves
    receipt: bool
    vendor: str | None = None
    day: dt.date | None = None
    total: Decimal | None = None
    tax: Decimal | None = None
    currency: str | None = None
    category: str | None = None
    variant: str = ""
    extras: dict[str, str] = field(default_factory=dict)


def _pdf(lines: list[str]) -> bytes:
    pdf = FPDF(format=(80, 200), unit="mm")
    pdf.set_margins(4, 6)
    pdf.add_page()
    pdf.set_font("Courier", size=8)
    for line in lines:
        pdf.cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _image(lines: list[str], width: int, font_size: int) -> Image.Image:
    font = ImageFont.load_default(size=font_size)
    step = int(font_size * 1.45)
    image = Image.new("L", (width, step * (len(lines) + 2)), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((font_size, step * (row + 1)), line, font=font, fill=0)
    return image


def _noise(image: Image.Image, rng: random.Random, share: float) -> Image.Image:
    pixels = image.load()
    assert pixels is not None
    for _ in range(int(image.width * image.height * share)):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = rng.choice((0, 90, 180, 255))
    return image


def _photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the slip: on a darker table, turned a little, softened, as a JPEG."""
    table = Image.new("L", (int(image.width * 1.5), int(image.height * 1.25)), 110)
    table.paste(image, ((table.width - image.width) // 2, (table.height - image.height) // 2))
    turned = table.rotate(
        rng.uniform(-4, 4), expand=True, fillcolor=110, resample=Image.Resampling.BICUBIC
    )
    return turned.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB")


def _encode(image: Image.Image, fmt: str, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


Render = Callable[[list[str], random.Random], tuple[bytes, str]]


def _renders() -> dict[str, Render]:
    return {
        "pdf": lambda lines, rng: (_pdf(lines), "pdf"),
        "png-large": lambda lines, rng: (_encode(_image(lines, 900, 26), "PNG"), "image"),
        "png-small": lambda lines, rng: (_encode(_image(lines, 420, 13), "PNG"), "image"),
        "jpeg": lambda lines, rng: (_encode(_image(lines, 700, 20), "JPEG", 80), "image"),
        "rotated-90": lambda lines, rng: (
            _encode(_image(lines, 800, 24).rotate(90, expand=True, fillcolor=255), "PNG"),
            "image",
        ),
        "rotated-180": lambda lines, rng: (
            _encode(_image(lines, 800, 24).rotate(180, expand=True, fillcolor=255), "PNG"),
            "image",
        ),
        "skewed": lambda lines, rng: (
            _encode(_image(lines, 800, 24).rotate(2.5, expand=True, fillcolor=255), "PNG"),
            "image",
        ),
        "noisy": lambda lines, rng: (
            _encode(_noise(_image(lines, 800, 24), rng, 0.02), "PNG"),
            "image",
        ),
        "blurred-photo": lambda lines, rng: (
            _encode(_image(lines, 800, 24).filter(ImageFilter.GaussianBlur(2.2)), "JPEG", 70),
            "image",
        ),
        "phone-photo": lambda lines, rng: (
            _encode(_photo(_image(lines, 800, 24), rng), "JPEG", 75),
            "image",
        ),
    }


def _specs(today: dt.date) -> list[tuple[Spec, str, str]]:
    """(what is printed, how it is rendered, expected category)."""
    d = [today - dt.timedelta(days=n) for n in range(3, 60, 3)]
    coffee = (("Latte", "5.25"), ("Croissant", "4.10"))
    return [
        (Spec("Joe Coffee", d[0], coffee, "USD"), "pdf", "Meals and Entertainment"),
        (
            Spec(
                "Uber",
                d[1],
                (("Trip fare", "23.40"), ("Booking fee", "2.10")),
                "USD",
                tax_label=None,
                total_label="Total charged",
            ),
            "pdf",
            "Taxi & Rideshare",
        ),
        (
            Spec(
                "Staples",
                d[2],
                (("Printer paper", "18.99"), ("Toner", "64.50")),
                "USD",
                date_style="iso",
            ),
            "pdf",
            "Office Supplies",
        ),
        (
            Spec(
                "Cafe de Flore",
                d[3],
                (("Cafe creme", "6.50"), ("Croque monsieur", "14.00")),
                "EUR",
                tax_label="TVA",
                tax_rate=Decimal("0.10"),
                date_style="eu",
                total_label="TOTAL TTC",
                address="172 Bd Saint-Germain, Paris",
            ),
            "pdf",
            "Meals and Entertainment",
        ),
        (
            Spec(
                "Moo Print",
                d[4],
                (("Business cards x500", "89.00"),),
                "CAD",
                tax_label="GST",
                tax_rate=Decimal("0.05"),
                date_style="long",
                total_label="Amount due",
                address="Toronto ON",
            ),
            "pdf",
            "Printing & Production",
        ),
        (
            Spec(
                "Hotel Zetta",
                d[5],
                (("Room, 2 nights", "578.00"), ("City tax", "11.56")),
                "USD",
                tax_rate=Decimal("0.14750"),
            ),
            "pdf",
            "Hotel & Lodging",
        ),
        (
            Spec(
                "Shell",
                d[6],
                (("Unleaded 11.2 gal", "46.37"),),
                "USD",
                tax_label=None,
                code_printed=False,
            ),
            "pdf",
            "Gas",
        ),
        (Spec("Joe Coffee", d[7], coffee, "USD"), "png-large", "Meals and Entertainment"),
        (
            Spec("FedEx", d[8], (("Overnight envelope", "42.75"),), "USD"),
            "png-large",
            "Postage & Shipping",
        ),
        (
            Spec("Staples", d[9], (("Notebooks", "12.40"), ("Pens", "8.60")), "USD"),
            "jpeg",
            "Office Supplies",
        ),
        (
            Spec("Blue Bottle Coffee", d[10], (("Espresso", "4.00"), ("Scone", "4.75")), "USD"),
            "png-small",
            "Meals and Entertainment",
        ),
        (
            Spec("Uber", d[11], (("Trip fare", "31.80"),), "USD", tax_label=None),
            "rotated-90",
            "Taxi & Rideshare",
        ),
        (
            Spec("B&H Photo", d[12], (("SD card 128GB", "39.99"), ("Tripod", "119.00")), "USD"),
            "rotated-180",
            "Equipment",
        ),
        (
            Spec("Moo Print", d[13], (("Stickers", "45.00"),), "USD"),
            "skewed",
            "Printing & Production",
        ),
        (
            Spec("Sweetgreen", d[14], (("Harvest bowl", "15.95"),), "USD"),
            "noisy",
            "Meals and Entertainment",
        ),
        (
            Spec("Hotel Zetta", d[15], (("Room, 1 night", "289.00"),), "USD"),
            "noisy",
            "Hotel & Lodging",
        ),
        (
            Spec("Joe Coffee", d[16], (("Cold brew", "5.50"),), "USD"),
            "blurred-photo",
            "Meals and Entertainment",
        ),
        (
            Spec("FedEx", d[17], (("Ground parcel", "18.20"),), "USD"),
            "phone-photo",
            "Postage & Shipping",
        ),
        (
            Spec("Staples", d[0], (("Foam board", "22.00"),), "USD"),
            "phone-photo",
            "Office Supplies",
        ),
        (
            Spec(
                "Brasserie Lipp",
                d[1],
                (("Plat du jour", "24.00"), ("Vin", "7.50")),
                "EUR",
                tax_label="TVA",
                tax_rate=Decimal("0.10"),
                date_style="eu",
                total_label="TOTAL EUR",
                address="151 Bd Saint-Germain, Paris",
            ),
            "png-large",
            "Meals and Entertainment",
        ),
        (
            Spec("Uber", d[2], (("Trip fare", "17.25"),), "USD", tax_label=None),
            "jpeg",
            "Taxi & Rideshare",
        ),
        (Spec("Shell", d[3], (("Diesel", "52.10"),), "USD", tax_label=None), "png-small", "Gas"),
    ]


_LETTER = [
    "Dear Ms Alvarez,",
    "Thank you for your letter about the spring workshop.",
    "We look forward to seeing the whole team there",
    "and will send the programme in a few weeks.",
    "With kind regards,",
    "The organising committee",
]


def corpus(today: dt.date, seed: int = 7) -> list[Sample]:
    """The receipts (about two dozen) and two pages that are not receipts, deterministic for
    a given ``today`` and ``seed``."""
    rng = random.Random(seed)
    renders = _renders()
    samples: list[Sample] = []
    for number, (spec, render, category) in enumerate(_specs(today), start=1):
        content, kind = renders[render](spec.lines(), rng)
        ext = "pdf" if kind == "pdf" else ("jpg" if content[:3] == b"\xff\xd8\xff" else "png")
        samples.append(
            Sample(
                name=f"{number:02d}-{spec.vendor.lower().replace(' ', '-')}-{render}.{ext}",
                content=content,
                kind=kind,
                receipt=True,
                vendor=spec.vendor,
                day=spec.day,
                total=spec.total,
                tax=spec.tax,
                currency=spec.currency,
                category=category,
                variant=render,
            )
        )
    samples.append(Sample("90-letter.pdf", _pdf(_LETTER), "pdf", False, variant="not a receipt"))
    samples.append(
        Sample(
            "91-letter.png",
            _encode(_image(_LETTER, 900, 26), "PNG"),
            "image",
            False,
            variant="not a receipt",
        )
    )
    return samples
