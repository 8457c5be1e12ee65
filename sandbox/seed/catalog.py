"""The fixed vocabulary of the demo books: people, places, services, vendors and categories.

Two businesses share one owner, Alex Morgan: a Brooklyn design studio billing in USD (clients
pay in USD, CAD, EUR and GBP) and a smaller Toronto consulting practice billing in CAD. The
named "anchor" clients below are the ones a newcomer sees first; larger sizes add generated
clients from the name parts at the end of this module.

Prices of taxed things are chosen so every tax is an exact number of cents (see
`money.rounding_exact`): Canadian hourly rates are multiples of $20, New York taxable
goods cost multiples of $8. The tables are kept one record per line (`fmt: off`) on purpose.
"""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    """A city clients or the business can be in."""

    city: str
    province: str
    country: str
    postal: str
    phone_prefix: str  # "212" → (212) 555-01xx; "+44 20" → +44 20 xxx xxxx
    street: str


class ClientSeed(NamedTuple):
    """A hand-written client. `since`/`until` are months from the start of the history."""

    organization: str
    fname: str
    lname: str
    currency: str
    place: Place
    work: str  # hourly | fixed | retainer | occasional
    payer: str  # prompt | average | slow | partial | delinquent
    weight: float  # share of the work and revenue
    terms: int  # due_offset_days
    since: int
    until: int | None = None
    archived: bool = False
    discount: str = "0"
    po_prefix: str = ""
    note: str = ""
    pay_method: str = "Bank Transfer"


class ServiceSeed(NamedTuple):
    """A project-side service and its hourly rate in the home currency ("" = no rate)."""

    name: str
    rate: str
    billable: bool
    project_default: bool
    notes: tuple[str, ...]


class ItemSeed(NamedTuple):
    """An accounting item; `taxable` items carry the client's goods tax."""

    name: str
    description: str
    unit_cost: str
    taxable: bool
    sku: str


class CategorySeed(NamedTuple):
    """An expense category; `parent` is another key or ""."""

    key: str
    name: str
    parent: str
    is_cogs: bool = False
    editable: bool = False


class VendorSeed(NamedTuple):
    """An everyday expense: amounts between lo and hi; notes may name a client ({client})."""

    vendor: str
    category: str
    lo: str
    hi: str
    weight: float
    notes: tuple[str, ...]
    taxed: bool = False
    billable: float = 0.0  # chance the purchase is rebilled to a client
    months: tuple[int, ...] = ()  # only in these calendar months (seasonal); () = any


class RecurringSeed(NamedTuple):
    """A monthly charge; `raise_at` months in, the price becomes `raised`."""

    vendor: str
    category: str
    amount: str
    day: int
    note: str
    spread: str = "0"  # usage-based bills vary up to this much above `amount`
    raise_at: int = 0
    raised: str = ""
    currency: str = ""  # "" = home currency
    taxed: bool = False


class TripSeed(NamedTuple):
    """A yearly trip: month, local currency, client visited (organization or ""), vendors."""

    name: str
    month: int
    currency: str
    client: str
    flight: tuple[str, str, str]  # vendor, lo, hi (always paid in the home currency)
    hotel: tuple[str, str, str]  # vendor, nightly lo, hi (local currency)
    local: tuple[tuple[str, str, str, str, str], ...]  # vendor, category, lo, hi, note


class PurchaseSeed(NamedTuple):
    """A one-off equipment purchase `month` months into the history (pre-tax price)."""

    vendor: str
    category: str
    amount: str
    month: int
    note: str


class MemberSeed(NamedTuple):
    """A team member, from `since` to `until` months into the history (None = still active)."""

    first: str
    last: str
    job_title: str
    role: str
    has_login: bool
    share: float  # share of logged time
    since: int
    until: int | None = None
    has_staff: bool = False  # also an accounting staff record (can own expenses)


class OtherMembership(NamedTuple):
    """A business the owner belongs to whose books are not part of the demo."""

    name: str
    role: str
    has_account: bool
    place: Place
    date_format: str
    timezone: str


class BusinessSeed(NamedTuple):
    """Everything fixed about one demo business."""

    key: str
    name: str
    currency: str
    timezone: str
    date_format: str
    place: Place
    domain: str
    season: tuple[float, ...]  # relative activity per calendar month, Jan..Dec
    internal_share: float  # share of logged time on internal projects
    services: tuple[ServiceSeed, ...]
    internal_projects: tuple[tuple[str, str], ...]  # title, service name
    hourly_titles: tuple[str, ...]
    fixed_titles: tuple[tuple[str, int, int], ...]  # title, price lo, hi (home currency)
    items: tuple[ItemSeed, ...]
    taxes: tuple[tuple[str, str, str], ...]  # name, percent, registration number
    clients: tuple[ClientSeed, ...]
    currencies: tuple[tuple[str, float], ...]  # mix of generated clients
    team: tuple[MemberSeed, ...]
    recurring: tuple[RecurringSeed, ...]
    vendors: tuple[VendorSeed, ...]
    trips: tuple[TripSeed, ...]
    purchases: tuple[PurchaseSeed, ...]
    retainer_fee: str  # monthly, home currency
    retainer_label: str


# fmt: off
NYC = Place("New York", "NY", "United States", "10013", "212", "Broadway")
BROOKLYN = Place("Brooklyn", "NY", "United States", "11201", "718", "Water Street")
TORONTO = Place("Toronto", "ON", "Canada", "M5V 2T6", "416", "King Street West")
BOSTON = Place("Boston", "MA", "United States", "02116", "617", "Boylston Street")
AUSTIN = Place("Austin", "TX", "United States", "78701", "512", "Congress Avenue")
PORTLAND = Place("Portland", "OR", "United States", "97209", "503", "NW Glisan Street")
SEATTLE = Place("Seattle", "WA", "United States", "98101", "206", "Pike Street")
OTTAWA = Place("Ottawa", "ON", "Canada", "K1P 5G4", "613", "Sparks Street")
VANCOUVER = Place("Vancouver", "BC", "Canada", "V6B 1A1", "604", "Water Street")
CALGARY = Place("Calgary", "AB", "Canada", "T2P 1J9", "403", "Stephen Avenue")
LYON = Place("Lyon", "Auvergne-Rhône-Alpes", "France", "69002", "+33 4 72", "Rue Mercière")
AMSTERDAM = Place("Amsterdam", "Noord-Holland", "Netherlands", "1015 CJ", "+31 20", "Prinsengracht")
LONDON = Place("London", "Greater London", "United Kingdom", "EC2A 3AY", "+44 20", "Curtain Road")

PLACES: dict[str, tuple[Place, ...]] = {
    "USD": (NYC, BROOKLYN, BOSTON, AUSTIN, PORTLAND, SEATTLE,
            Place("Chicago", "IL", "United States", "60607", "312", "W Randolph Street"),
            Place("Denver", "CO", "United States", "80202", "303", "Larimer Street"),
            Place("San Francisco", "CA", "United States", "94107", "415", "Townsend Street")),
    "CAD": (TORONTO, OTTAWA, VANCOUVER, CALGARY,
            Place("Montréal", "QC", "Canada", "H2Y 1C6", "514", "Rue Saint-Paul Ouest"),
            Place("Winnipeg", "MB", "Canada", "R3C 0V8", "204", "Portage Avenue")),
    "EUR": (LYON, AMSTERDAM,
            Place("Berlin", "Berlin", "Germany", "10115", "+49 30", "Torstraße"),
            Place("Lisbon", "Lisboa", "Portugal", "1200-195", "+351 21", "Rua Augusta"),
            Place("Dublin", "Dublin", "Ireland", "D02 X285", "+353 1", "Grafton Street")),
    "GBP": (LONDON,
            Place("Manchester", "Greater Manchester", "United Kingdom", "M1 1AE", "+44 161",
                  "Deansgate"),
            Place("Bristol", "Bristol", "United Kingdom", "BS1 4DJ", "+44 117", "Park Row")),
}
TLD = {"United States": "com", "Canada": "ca", "France": "fr", "Netherlands": "nl",
       "Germany": "de", "Portugal": "pt", "Ireland": "ie", "United Kingdom": "co.uk"}

# FreshBooks' standard expense categories (trimmed), with children, plus one custom category.
CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed("advertising", "Advertising", ""),
    CategorySeed("car", "Car & Truck Expenses", ""),
    CategorySeed("car_gas", "Gas", "car"),
    CategorySeed("car_parking", "Parking & Tolls", "car"),
    CategorySeed("contractors", "Contractors", ""),
    CategorySeed("cogs", "Cost of Goods Sold", "", is_cogs=True),
    CategorySeed("cogs_printing", "Printing & Production", "cogs", is_cogs=True),
    CategorySeed("cogs_stock", "Stock Assets", "cogs", is_cogs=True, editable=True),
    CategorySeed("education", "Education and Training", ""),
    CategorySeed("equipment", "Equipment", ""),
    CategorySeed("equipment_computer", "Computer Hardware", "equipment"),
    CategorySeed("insurance", "Insurance", ""),
    CategorySeed("meals", "Meals and Entertainment", ""),
    CategorySeed("office", "Office Expenses & Postage", ""),
    CategorySeed("office_supplies", "Office Supplies", "office"),
    CategorySeed("office_postage", "Postage & Shipping", "office"),
    CategorySeed("professional", "Professional Services", ""),
    CategorySeed("prof_accounting", "Accounting", "professional"),
    CategorySeed("prof_legal", "Legal Fees", "professional"),
    CategorySeed("rent", "Rent or Lease", ""),
    CategorySeed("rent_office", "Office Space", "rent"),
    CategorySeed("software", "Software", ""),
    CategorySeed("software_subs", "Subscriptions", "software"),
    CategorySeed("travel", "Travel", ""),
    CategorySeed("travel_air", "Airfare", "travel"),
    CategorySeed("travel_hotel", "Hotel & Lodging", "travel"),
    CategorySeed("travel_taxi", "Taxi & Rideshare", "travel"),
    CategorySeed("utilities", "Utilities", ""),
    CategorySeed("util_phone", "Telephone", "utilities"),
    CategorySeed("util_internet", "Internet", "utilities"),
    CategorySeed("bank_fees", "Bank Fees", ""),
    CategorySeed("other", "Other Expenses", ""),
)

PAYMENT_NOTES: dict[str, tuple[str, ...]] = {
    "Bank Transfer": ("Wire received, thank you", "Bank transfer ref {ref}", ""),
    "ACH": ("ACH deposit {ref}", ""),
    "Check": ("Check #{ref}", "Check #{ref}, deposited"),
    "Credit Card": ("Paid online by card", "Visa ending {ref4}"),
    "PayPal": ("PayPal transaction {ref}", ""),
}
INVOICE_NOTES = (
    "Thank you for your business!",
    "Thanks, it was a pleasure working with you.",
    "Thank you! Questions about this invoice? Just reply to this email.",
)

# -- the design studio --------------------------------------------------------------------------
#   organization, fname, lname, currency, place, work, payer, weight, terms, since, until, ...
_STUDIO_CLIENTS = (
    ClientSeed("Kestrel Analytics", "Sarah", "Okafor", "USD", NYC, "hourly", "prompt", 14, 30, -6,
               discount="5", po_prefix="KA-PO-", pay_method="ACH",
               note="Product team. Invoices to AP with the PO number; 5% volume discount."),
    ClientSeed("Brightline Coffee Roasters", "Tom", "Becker", "USD", PORTLAND, "fixed", "average",
               8, 15, -2, note="Packaging and seasonal labels."),
    ClientSeed("Northmark Outdoor Co.", "Julia", "Ferreira", "CAD", VANCOUVER, "hourly", "slow",
               8, 30, 1, note="Always pays, rarely on time. Chase Julia, not AP."),
    ClientSeed("Meridian Health Partners", "Aisha", "Rahman", "USD", BOSTON, "retainer", "slow",
               7, 45, 7, po_prefix="MHP-", pay_method="Check", note="Monthly design retainer."),
    ClientSeed("Fernhill & Co.", "Oliver", "Grant", "GBP", LONDON, "hourly", "partial", 6, 30, 4,
               note="Pays in instalments, as agreed in their contract."),
    ClientSeed("Parcel Pilot Inc.", "Dev", "Malhotra", "USD", AUSTIN, "hourly", "delinquent",
               6, 15, 5, until=33, note="Startup; went quiet after their funding round stalled."),
    ClientSeed("Atelier Margaux", "Camille", "Durand", "EUR", LYON, "fixed", "prompt", 5, 30, 3),
    ClientSeed("Kanal Studio B.V.", "Pieter", "de Vries", "EUR", AMSTERDAM, "hourly", "average",
               3, 30, 14),
    ClientSeed("Hollow Oak Bakery", "Grace", "Kim", "USD", BROOKLYN, "occasional", "prompt", 2,
               0, 0, pay_method="Credit Card", note="Menus, signage and the odd print run."),
    ClientSeed("", "Maya", "Patel", "USD", NYC, "fixed", "prompt", 1.5, 15, 18,
               pay_method="PayPal", note="Illustrator; portfolio site."),
    ClientSeed("", "Ben", "Carter", "CAD", TORONTO, "occasional", "average", 1, 0, 10,
               pay_method="PayPal", note="Musician; album artwork."),
    ClientSeed("Quill & Ink Publishing", "Hannah", "Murphy", "USD", NYC, "hourly", "average", 4,
               30, -8, until=12, archived=True, pay_method="Check",
               note="Book covers. Moved design in-house."),
    ClientSeed("Saltwater Surf School", "Kai", "Nakamura", "USD", BROOKLYN, "occasional",
               "prompt", 1.2, 15, -4, until=15, archived=True),
)

STUDIO = BusinessSeed(
    key="studio", name="Harbor & Pine Design", currency="USD", timezone="America/New_York",
    date_format="mm/dd/yyyy", domain="harborandpine.studio",
    place=Place("Brooklyn", "New York", "United States", "11201", "718", "55 Washington Street"),
    season=(0.9, 1.0, 1.1, 1.1, 1.05, 1.0, 0.85, 0.7, 1.1, 1.2, 1.15, 0.75),
    internal_share=0.18,
    services=(
        ServiceSeed("UI/UX Design", "150.00", True, True, (
            "Wireframes for the onboarding flow", "Checkout screens in Figma",
            "Design QA on staging", "Usability test synthesis", "Dashboard empty states",
            "Prototype for stakeholder review")),
        ServiceSeed("Brand Strategy", "160.00", True, False, (
            "Positioning workshop prep", "Competitor audit", "Brand story draft",
            "Naming exploration")),
        ServiceSeed("Logo & Identity Design", "140.00", True, False, (
            "Logo sketches, round 2", "Type pairing explorations", "Colour palette refinements",
            "Brand guidelines layout")),
        ServiceSeed("Web Development", "130.00", True, False, (
            "Homepage build", "CMS templates", "Responsive fixes", "Launch checklist and QA",
            "Performance pass on images")),
        ServiceSeed("Illustration", "120.00", True, False, (
            "Spot illustrations", "Hero illustration inks", "Icon set cleanup")),
        ServiceSeed("Art Direction", "165.00", True, False, (
            "Photo shoot art direction", "Campaign concepts", "Moodboards")),
        ServiceSeed("Project Management", "95.00", True, True, (
            "Weekly status call", "Timeline update", "Feedback consolidation",
            "Kickoff meeting")),
        ServiceSeed("Admin", "", False, False, (
            "Invoicing and bookkeeping", "Inbox and scheduling", "Software updates")),
        ServiceSeed("Business Development", "", False, False, (
            "Proposal writing", "Pitch deck", "Intro call with a prospect", "Portfolio update")),
    ),
    internal_projects=(("Studio admin", "Admin"), ("New business", "Business Development")),
    hourly_titles=(
        "Website redesign", "Product UI refresh", "Mobile app onboarding", "Marketing site",
        "Design system", "Campaign assets", "E-commerce storefront", "Dashboard redesign",
        "Annual report", "Social media templates", "Investor deck", "Landing pages"),
    fixed_titles=(
        ("Brand identity package", 6500, 12000), ("Logo design", 2500, 4500),
        ("Packaging design", 4000, 9000), ("Website build (fixed scope)", 9000, 18000),
        ("Illustration series", 2000, 5000), ("Brand guidelines", 3000, 6000)),
    items=(
        ItemSeed("Business cards (500)", "Two-sided, 16pt matte", "96.00", True, "PRT-BC500"),
        ItemSeed("Poster print run (50)", "18×24 in posters, 50 copies", "320.00", True,
                 "PRT-PST50"),
        ItemSeed("Letterpress printing", "Letterpress stationery run", "480.00", True, "PRT-LTP"),
        ItemSeed("Stock photo license", "Standard license, one image", "49.00", False, "LIC-STK"),
        ItemSeed("Font license", "Desktop and web font license", "120.00", False, "LIC-FNT"),
        ItemSeed("Domain & hosting (1 year)", "Domain renewal and managed hosting", "240.00",
                 False, "WEB-HST"),
        ItemSeed("Website maintenance", "Updates, backups and uptime monitoring, one month",
                 "300.00", False, "WEB-MNT"),
        ItemSeed("Rush fee", "Turnaround under 48 hours", "250.00", False, "FEE-RUSH"),
    ),
    taxes=(("Sales Tax", "8.875", "NY 11-2233445"), ("VAT", "20", "GB 294 7781 56")),
    clients=_STUDIO_CLIENTS,
    currencies=(("USD", 0.7), ("CAD", 0.12), ("EUR", 0.1), ("GBP", 0.08)),
    team=(
        MemberSeed("Alex", "Morgan", "Founder & Creative Director", "owner", True, 0.5, -40,
                   has_staff=True),
        MemberSeed("Priya", "Shah", "Senior Designer", "business_employee", True, 0.3, -8,
                   has_staff=True),
        MemberSeed("Marcus", "Webb", "Front-end Developer", "business_employee", True, 0.2, 8),
        MemberSeed("Lena", "Hoffmann", "Junior Designer", "business_employee", True, 0.2, 3,
                   until=22),
        MemberSeed("Dana", "Brooks", "Bookkeeper", "no_seat_employee", False, 0.0, 12),
    ),
    recurring=(
        RecurringSeed("Adobe", "software_subs", "59.99", 3, "Creative Cloud All Apps, monthly",
                      raise_at=20, raised="64.99"),
        RecurringSeed("Figma", "software_subs", "45.00", 12, "Figma Professional, 3 editors"),
        RecurringSeed("WeWork", "rent_office", "450.00", 1, "Hot desk membership, Dumbo",
                      raise_at=15, raised="495.00"),
        RecurringSeed("Google Workspace", "software_subs", "43.20", 1, "Business Starter, 3 users"),
        RecurringSeed("Verizon", "util_phone", "85.00", 22, "Mobile plan", spread="11.00"),
        RecurringSeed("Amazon Web Services", "software", "18.00", 2, "Hosting for client sites",
                      spread="46.00"),
        RecurringSeed("Spectrum Business", "util_internet", "79.99", 15, "Backup internet line"),
        RecurringSeed("Hiscox", "insurance", "42.50", 5, "Professional liability insurance"),
        RecurringSeed("Chase", "bank_fees", "15.00", 28, "Monthly business checking fee"),
        RecurringSeed("Dropbox", "software_subs", "19.99", 9, "Dropbox Plus, client archive"),
        RecurringSeed("Adobe Stock", "cogs_stock", "29.99", 17, "Adobe Stock, 10 images a month"),
    ),
    vendors=(
        VendorSeed("Joe Coffee", "meals", "4.50", "18.00", 8, (
            "Coffee with {client}", "Coffee while reviewing proofs", "Team coffee run")),
        VendorSeed("Blue Bottle Coffee", "meals", "5.00", "22.00", 6, (
            "Coffee with {client}", "Coffee before the {client} review")),
        VendorSeed("Sweetgreen", "meals", "12.00", "38.00", 6, ("Working lunch", "Team lunch")),
        VendorSeed("Via Carota", "meals", "85.00", "240.00", 1.5, (
            "Client dinner with {client}", "Project wrap dinner with {client}")),
        VendorSeed("Uber", "travel_taxi", "11.00", "58.00", 6, (
            "Ride to {client} office", "Cab to photo shoot", "Late ride home after launch")),
        VendorSeed("Lyft", "travel_taxi", "10.00", "45.00", 3, ("Ride to {client} office",)),
        VendorSeed("Staples", "office_supplies", "9.00", "140.00", 4, (
            "Printer paper and toner", "Foam board for presentation", "Notebooks and pens"),
            taxed=True),
        VendorSeed("Amazon", "office_supplies", "12.00", "180.00", 4, (
            "USB-C hub", "Desk lamp", "Sketchbooks", "Cable organizer", "External SSD")),
        VendorSeed("USPS", "office_postage", "8.00", "45.00", 2, ("Mailing printed samples",)),
        VendorSeed("FedEx", "office_postage", "18.00", "95.00", 2,
                   ("Overnight proofs to {client}",), billable=0.4),
        VendorSeed("Moo Print", "cogs_printing", "60.00", "420.00", 2, (
            "Business cards for {client}", "Sticker sheets for {client}"), billable=0.7),
        VendorSeed("Linco Printing", "cogs_printing", "240.00", "1600.00", 1, (
            "Packaging prototypes for {client}", "Print run for {client}"), billable=0.8),
        VendorSeed("Shutterstock", "cogs_stock", "29.00", "199.00", 2,
                   ("Stock images for {client} campaign",), billable=0.6),
        VendorSeed("Upwork", "contractors", "150.00", "2400.00", 2, (
            "Freelance copywriter, {client} site copy", "Front-end contractor for {client}",
            "Motion designer for {client} launch video"), billable=0.3),
        VendorSeed("B&H Photo", "equipment", "45.00", "650.00", 1, (
            "Camera lens rental", "SD cards and tripod", "Lighting kit"), taxed=True),
        VendorSeed("Meta", "advertising", "50.00", "400.00", 1.5, (
            "Promoted post: portfolio launch", "Instagram ads, case study")),
        VendorSeed("LinkedIn", "advertising", "60.00", "300.00", 1, ("Sponsored post",)),
        VendorSeed("Skillshare", "education", "14.00", "168.00", 1, ("Course: motion design",)),
        VendorSeed("Domestika", "education", "10.00", "40.00", 1, ("Course: lettering",)),
        VendorSeed("Kessler & Co. CPA", "prof_accounting", "650.00", "1800.00", 1.5, (
            "Tax return preparation", "Year-end bookkeeping review"), months=(3, 4)),
        VendorSeed("LegalZoom", "prof_legal", "150.00", "600.00", 0.4, (
            "Contract template review", "Trademark search")),
        VendorSeed("SpotHero", "car_parking", "18.00", "45.00", 1, ("Parking for on-site shoot",)),
        VendorSeed("Shell", "car_gas", "35.00", "70.00", 0.6, ("Gas, van rental for shoot",)),
    ),
    trips=(
        TripSeed("Config", 6, "USD", "", ("Delta", "320.00", "640.00"),
                 ("Hotel Zetta", "260.00", "340.00"), (
                     ("Uber", "travel_taxi", "18.00", "62.00", "Ride from SFO"),
                     ("Tartine Bakery", "meals", "12.00", "34.00", "Breakfast, Config"),
                     ("Figma", "education", "799.00", "799.00", "Config conference ticket"))),
        TripSeed("Adobe MAX", 10, "USD", "", ("JetBlue", "280.00", "520.00"),
                 ("Ace Hotel", "240.00", "320.00"), (
                     ("Lyft", "travel_taxi", "16.00", "55.00", "Ride to the convention center"),
                     ("Grand Central Market", "meals", "14.00", "42.00", "Lunch, Adobe MAX"))),
        TripSeed("London client visit", 5, "GBP", "Fernhill & Co.",
                 ("British Airways", "620.00", "980.00"), ("The Hoxton", "180.00", "240.00"), (
                     ("Transport for London", "travel_taxi", "6.00", "20.00", "Tube fares"),
                     ("Pret A Manger", "meals", "6.00", "14.00", "Lunch between workshops"),
                     ("Dishoom", "meals", "60.00", "140.00", "Dinner with the Fernhill team"))),
        TripSeed("Lyon workshop", 3, "EUR", "Atelier Margaux", ("Delta", "680.00", "1100.00"),
                 ("Hôtel Le Royal", "150.00", "210.00"), (
                     ("SNCF", "travel_taxi", "25.00", "90.00", "Train from Paris"),
                     ("Café Comptoir Abel", "meals", "28.00", "75.00", "Dinner after workshop"))),
        TripSeed("Vancouver client visit", 9, "CAD", "Northmark Outdoor Co.",
                 ("Air Canada", "420.00", "760.00"), ("Fairmont Waterfront", "260.00", "380.00"), (
                     ("Uber", "travel_taxi", "14.00", "48.00", "Ride to Northmark HQ"),
                     ("Revolver Coffee", "meals", "6.00", "18.00", "Coffee before the review"))),
    ),
    purchases=(
        PurchaseSeed("Apple Store", "equipment_computer", "2399.00", 2, "MacBook Pro 14-inch"),
        PurchaseSeed("Herman Miller", "equipment", "1395.00", 5, "Aeron chair"),
        PurchaseSeed("Apple Store", "equipment_computer", "1599.00", 9, "Studio Display"),
        PurchaseSeed("B&H Photo", "equipment", "379.95", 14, "Wacom Intuos Pro"),
        PurchaseSeed("Apple Store", "equipment_computer", "2499.00", 26,
                     "MacBook Pro 14-inch for Priya"),
        PurchaseSeed("Apple Store", "equipment_computer", "1178.00", 30,
                     "iPad Pro and Pencil for sketching"),
    ),
    retainer_fee="3500.00",
    retainer_label="Design retainer",
)

# -- the consulting practice --------------------------------------------------------------------
_CONSULTING_CLIENTS = (
    ClientSeed("Lakeview Credit Union", "Michelle", "Tremblay", "CAD", TORONTO, "hourly",
               "prompt", 10, 30, -3, po_prefix="LCU-",
               note="Digital strategy advisory; invoices go to finance@."),
    ClientSeed("Bow River Outfitters", "Graham", "MacLeod", "CAD", CALGARY, "hourly", "slow",
               6, 45, 2, note="Net 45 on paper, closer to 75 days in practice."),
    ClientSeed("Ontario Arts Collective", "Farah", "Haddad", "CAD", OTTAWA, "fixed", "average",
               4, 30, 6, discount="10", note="Non-profit rate (10% off)."),
    ClientSeed("Halcyon Software Inc.", "Ethan", "Brooks", "USD", SEATTLE, "hourly", "prompt",
               5, 30, 12, pay_method="ACH"),
    ClientSeed("Greyfield Property Management", "Colin", "Byrne", "CAD", TORONTO, "occasional",
               "prompt", 1.5, 15, -2, until=14, archived=True, pay_method="Check"),
)

CONSULTING = BusinessSeed(
    key="consulting", name="Morgan Advisory", currency="CAD", timezone="America/Toronto",
    date_format="dd/mm/yyyy", domain="morganadvisory.ca",
    place=Place("Toronto", "Ontario", "Canada", "M6J 1H4", "416", "802 Queen Street West"),
    season=(1.15, 1.1, 1.1, 1.0, 0.95, 0.9, 0.7, 0.65, 1.1, 1.2, 1.15, 0.7),
    internal_share=0.15,
    services=(
        ServiceSeed("Strategy Advisory", "240.00", True, True, (
            "Roadmap working session", "Prep for steering committee", "Options memo",
            "Follow-up call with the exec team")),
        ServiceSeed("Workshop Facilitation", "220.00", True, False, (
            "Workshop design", "Facilitated session", "Workshop readout")),
        ServiceSeed("Research & Analysis", "180.00", True, True, (
            "Stakeholder interviews", "Survey analysis", "Market scan", "Benchmarking")),
        ServiceSeed("Report Writing", "160.00", True, False, (
            "Draft findings report", "Edits from client review", "Executive summary")),
        ServiceSeed("Travel Time", "100.00", True, False, ("Travel to client site",)),
        ServiceSeed("Admin", "", False, False, ("Invoicing", "Bookkeeping", "Scheduling")),
    ),
    internal_projects=(("Practice admin", "Admin"),),
    hourly_titles=(
        "Digital strategy review", "Member experience research", "Operating model assessment",
        "Product roadmap advisory", "Board strategy sessions", "Customer journey mapping"),
    fixed_titles=(
        ("Strategy workshop series", 6000, 12000), ("Market research report", 8000, 16000),
        ("Leadership offsite facilitation", 4000, 8000)),
    items=(
        ItemSeed("Half-day workshop", "Facilitated half-day session, up to 12 people",
                 "1800.00", True, "WS-HALF"),
        ItemSeed("Full-day workshop", "Facilitated full-day session, up to 20 people",
                 "3200.00", True, "WS-FULL"),
        ItemSeed("Keynote presentation", "45-minute talk with Q&A", "3500.00", True, "TALK-KEY"),
        ItemSeed("Printed workbook", "Workshop workbook, per participant", "24.00", True,
                 "PRT-WB"),
        ItemSeed("Survey platform fee", "Survey tooling, one study", "150.00", True, "FEE-SRV"),
    ),
    taxes=(("HST", "13", "81234 5678 RT0001"), ("GST", "5", "81234 5678 RT0001")),
    clients=_CONSULTING_CLIENTS,
    currencies=(("CAD", 0.85), ("USD", 0.15)),
    team=(
        MemberSeed("Alex", "Morgan", "Principal", "owner", True, 0.75, -40, has_staff=True),
        MemberSeed("Sam", "Okoro", "Research Associate", "business_employee", True, 0.25, 9),
        MemberSeed("Rita", "Alvarez", "Virtual Assistant", "no_seat_employee", False, 0.0, 4,
                   until=20),
    ),
    recurring=(
        RecurringSeed("Zoom", "software_subs", "21.99", 6, "Zoom Pro, monthly", taxed=True),
        RecurringSeed("Microsoft", "software_subs", "16.90", 14, "Microsoft 365 Business Standard",
                      taxed=True),
        RecurringSeed("Rogers", "util_phone", "75.00", 20, "Mobile plan", spread="13.00",
                      taxed=True),
        RecurringSeed("LinkedIn", "software_subs", "79.99", 11, "LinkedIn Premium Business",
                      taxed=True),
        RecurringSeed("Notion Labs", "software_subs", "10.00", 17, "Notion Plus (billed in USD)",
                      currency="USD"),
    ),
    vendors=(
        VendorSeed("Tim Hortons", "meals", "3.50", "16.00", 5, ("Coffee", "Coffee with {client}"),
                   taxed=True),
        VendorSeed("Pilot Coffee Roasters", "meals", "5.00", "24.00", 4, (
            "Coffee with {client}", "Coffee before the workshop"), taxed=True),
        VendorSeed("Terroni", "meals", "70.00", "220.00", 1, ("Lunch with {client}",), taxed=True),
        VendorSeed("Uber", "travel_taxi", "12.00", "48.00", 4, ("Ride to {client} office",),
                   taxed=True),
        VendorSeed("PRESTO", "travel_taxi", "20.00", "60.00", 2, ("Transit card top-up",)),
        VendorSeed("Staples", "office_supplies", "10.00", "120.00", 2, (
            "Sticky notes and markers for workshop", "Printer ink"), taxed=True),
        VendorSeed("Canada Post", "office_postage", "6.00", "40.00", 1, ("Courier to {client}",),
                   taxed=True),
        VendorSeed("Indigo", "education", "25.00", "90.00", 1, ("Books: facilitation",),
                   taxed=True),
        VendorSeed("Eventbrite", "education", "45.00", "600.00", 0.8, ("Conference ticket",),
                   taxed=True),
        VendorSeed("Patel & Wong CPA", "prof_accounting", "800.00", "1900.00", 1.2, (
            "Tax return preparation", "HST filing"), taxed=True, months=(3, 4, 6)),
        VendorSeed("Green P Parking", "car_parking", "8.00", "30.00", 1.5, ("Parking",),
                   taxed=True),
        VendorSeed("Petro-Canada", "car_gas", "45.00", "85.00", 1, ("Gas",), taxed=True),
        VendorSeed("Print Three", "cogs_printing", "80.00", "600.00", 0.8, (
            "Workbooks for {client} workshop",), taxed=True, billable=0.8),
    ),
    trips=(
        TripSeed("Calgary on-site", 2, "CAD", "Bow River Outfitters",
                 ("WestJet", "380.00", "690.00"), ("Fairmont Palliser", "220.00", "310.00"), (
                     ("Uber", "travel_taxi", "14.00", "52.00", "Ride to Bow River HQ"),
                     ("Monogram Coffee", "meals", "5.00", "18.00", "Coffee before the on-site"))),
        TripSeed("Ottawa workshop", 10, "CAD", "Ontario Arts Collective",
                 ("VIA Rail", "140.00", "260.00"), ("Lord Elgin Hotel", "190.00", "260.00"), (
                     ("Happy Goat Coffee", "meals", "5.00", "16.00", "Coffee"),)),
        TripSeed("Seattle visit", 11, "USD", "Halcyon Software Inc.",
                 ("Air Canada", "480.00", "820.00"), ("Hotel Theodore", "210.00", "290.00"), (
                     ("Uber", "travel_taxi", "15.00", "55.00", "Ride to Halcyon office"),)),
    ),
    purchases=(
        PurchaseSeed("Best Buy", "equipment", "289.99", 3, "Webcam and USB microphone"),
        PurchaseSeed("Apple Store", "equipment_computer", "1649.00", 7, "MacBook Air"),
    ),
    retainer_fee="4000.00",
    retainer_label="Advisory retainer",
)

BUSINESSES: tuple[BusinessSeed, ...] = (STUDIO, CONSULTING)

OWNER = {"first": "Alex", "last": "Morgan", "email": "alex@harborandpine.studio",
         "phone": "(718) 555-0142", "profession": "Designer"}

# Memberships of the owner that carry no books of their own (identity edge cases).
OTHER_MEMBERSHIPS = (
    OtherMembership("Lakeshore Collective", "business_manager", True,
                    Place("Toronto", "Ontario", "Canada", "M5V 1M9", "416",
                          "401 Richmond Street West"), "dd/mm/yyyy", "America/Toronto"),
    OtherMembership("Pine Street Photo Co-op", "business_employee", False,
                    Place("Brooklyn", "New York", "United States", "11222", "718",
                          "112 Franklin Street"), "mm/dd/yyyy", "America/New_York"),
)

# -- parts for generated clients ------------------------------------------------------------------
FIRST_NAMES = (
    "Sarah", "Tom", "Julia", "Camille", "Oliver", "Aisha", "Dev", "Grace", "Maya", "Ben", "Luis",
    "Nora", "Hannah", "Marcus", "Ethan", "Chloe", "Daniel", "Sofia", "Noah", "Emma", "Liam",
    "Zoe", "Ravi", "Mei", "Jonas", "Ines", "Kofi", "Leah", "Owen", "Yuki", "Tariq", "Elena",
    "Samir", "Freya", "Diego", "Ama", "Hugo", "Isla", "Kenji", "Amara",
)
LAST_NAMES = (
    "Okafor", "Becker", "Ferreira", "Durand", "Grant", "Rahman", "Kim", "Patel", "Carter",
    "Ortega", "Lindqvist", "Schmidt", "Nguyen", "Murphy", "Rossi", "Cohen", "Silva", "Walsh",
    "Tanaka", "Dubois", "Haddad", "Kowalski", "Mensah", "Byrne", "Laurent", "Novak", "Reyes",
    "Fischer", "Osei", "Brennan", "Costa", "Ivanova", "Yilmaz", "Moreau", "Park", "Singh",
)
ORG_FIRST = (
    "Aurora", "Beacon", "Birchwood", "Bluewater", "Cedar", "Copperleaf", "Crescent", "Driftwood",
    "Ember", "Evergreen", "Foxglove", "Granite", "Harborview", "Ironwood", "Juniper", "Lantern",
    "Linden", "Meadowlark", "Northwind", "Orchard", "Pioneer", "Quarry", "Redwood", "Riverstone",
    "Sable", "Silverline", "Summit", "Tidewater", "Willow", "Zephyr", "Larkspur", "Marigold",
    "Oakridge", "Pinecrest", "Saltbox", "Thistle",
)
ORG_SECOND = (
    "Analytics", "Architects", "Bakery", "Brewing Co.", "Capital", "Clinic", "Coffee Co.",
    "Collective", "Dental", "Foods", "Fitness", "Goods", "Health", "Labs", "Media", "Partners",
    "Press", "Realty", "Studios", "Supply Co.", "Technologies", "Ventures", "Wellness", "Yoga",
    "Outfitters", "Learning", "Logistics", "Kitchen", "Gallery", "Books",
)
PERSONAL_DOMAINS = ("gmail.com", "fastmail.com", "icloud.com", "outlook.com")
# fmt: on
