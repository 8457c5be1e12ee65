"""Values several test modules share (conftests included): import them from here, never from
a conftest."""

from __future__ import annotations

from pathlib import Path

# The FreshBooks API the respx-mocked client tests talk to, and the ids of their business.
API = "https://api.freshbooks.test"
ACCOUNT_ID = "aBc12"
BUSINESS_ID = 77001

# AppTest: the app's script, and the configuration the tests clear so that they choose.
APP = str(Path(__file__).resolve().parents[2] / "app.py")
CONFIG_NAMES = (
    "FRESHBOOKS_CLIENT_ID",
    "FRESHBOOKS_CLIENT_SECRET",
    "FRESHBOOKS_REDIRECT_URI",
    "FRESHBOOKS_API_URL",
    "FRESHBOOKS_AUTH_URL",
    "FRESHBOOKS_SCOPES",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "COPILOT_DATABASE_URL",
    "COPILOT_SECRET_KEY",
    "COPILOT_MODEL",
    "COPILOT_MODEL_CONTEXT",
)

# Known records of the seeded small sandbox (seed 7).
FERNHILL = 20000001  # a client
CATEGORY = 25000025  # an expense category
RATED_PROJECTS = {20000005: 30000029, 20000006: 30000030}  # client -> project at a project rate
