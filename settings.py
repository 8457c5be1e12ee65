"""Every setting the app reads (the table in README.md): environment first, then
.streamlit/secrets.toml, then the defaults.

Secrets are held in fields excluded from repr so that a settings object can be logged safely.
An ``[auth]`` table in the secrets file (Streamlit's own OIDC login settings) turns on the
hosted, multi-user mode: ``Settings.hosted``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fbclient.scopes import PROFILE_READ, parse_scopes

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_MODEL_CONTEXT",
    "DEFAULT_SCOPES",
    "MIN_MODEL_CONTEXT",
    "Settings",
    "load_settings",
]

ROOT = Path(__file__).resolve().parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_MODEL = "gpt-4.1-mini"
# Ollama's default window (below 24 GiB of GPU memory): a prompt longer than that is cut.
DEFAULT_MODEL_CONTEXT = 4096
# Below this the system prompt, the core tools, the largest tool and one turn do not fit.
MIN_MODEL_CONTEXT = 4096
# Asked for at Connect unless FRESHBOOKS_SCOPES says otherwise: what the product uses among the
# scopes FreshBooks' integration guide has people tick, so an app set up that way connects.
# Estimates and services (user:estimates:read, user:billable_items:read) are added when the
# person asks for them (README: "FreshBooks scopes").
DEFAULT_SCOPES = (
    "user:profile:read",
    "user:clients:read",
    "user:clients:write",
    "user:invoices:read",
    "user:invoices:write",
    "user:expenses:read",
    "user:expenses:write",
    "user:payments:read",
    "user:payments:write",
    "user:projects:read",
    "user:projects:write",
    "user:time_entries:read",
    "user:time_entries:write",
    "user:teams:read",
    "user:reports:read",
)


def _read_secrets(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path} could not be read: {exc}") from exc


def _has_auth_section(secrets: Mapping[str, Any]) -> bool:
    # Streamlit's st.login reads the same [auth] table; an empty one configures nothing.
    auth = secrets.get("auth")
    return isinstance(auth, Mapping) and bool(auth)


@dataclass(frozen=True)
class Settings:
    """Every setting the app reads, with the defaults of the contract."""

    freshbooks_client_id: str | None = None
    freshbooks_client_secret: str | None = field(default=None, repr=False)
    freshbooks_redirect_uri: str = "http://localhost:8501/"
    freshbooks_api_url: str = "https://api.freshbooks.com"
    freshbooks_auth_url: str = "https://auth.freshbooks.com"
    freshbooks_scopes: str = " ".join(DEFAULT_SCOPES)
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    copilot_model: str = DEFAULT_MODEL
    copilot_data_dir: str = str(ROOT / "data")
    copilot_database_url: str = ""
    copilot_secret_key: str | None = field(default=None, repr=False)
    copilot_model_context: int = DEFAULT_MODEL_CONTEXT  # tokens
    # Not read from the environment: true when the secrets file has an [auth] table.
    hosted: bool = False

    def __post_init__(self) -> None:
        if not self.copilot_database_url:
            # The default store is a SQLite file in the data folder.
            url = f"sqlite:///{Path(self.copilot_data_dir) / 'copilot.db'}"
            object.__setattr__(self, "copilot_database_url", url)
        self.scopes  # noqa: B018  # a malformed FRESHBOOKS_SCOPES is reported at start-up

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes asked for at Connect (``FRESHBOOKS_SCOPES``); ValueError if malformed."""
        try:
            scopes = parse_scopes(self.freshbooks_scopes)
        except ValueError as exc:
            raise ValueError(f"FRESHBOOKS_SCOPES: {exc}") from None
        if PROFILE_READ not in scopes:
            # Without it the app cannot even read who is connected and their businesses.
            raise ValueError(f"FRESHBOOKS_SCOPES must include {PROFILE_READ}")
        return scopes

    @property
    def demo_mode(self) -> bool:
        """No OAuth app configured: run on the built-in sandbox."""
        return not (self.freshbooks_client_id and self.freshbooks_client_secret)

    @property
    def chat_enabled(self) -> bool:
        """A key or an OpenAI-compatible endpoint (a local server needs no key) is configured."""
        return bool(self.openai_api_key or self.openai_base_url)


_DERIVED = frozenset({"hosted"})


def load_settings(
    environ: Mapping[str, str] | None = None, secrets_file: Path | None = None
) -> Settings:
    """Settings from the environment, falling back to secrets.toml, then the defaults.

    ``COPILOT_SECRETS_FILE`` names another secrets file (tests point it at nothing).
    """
    env = os.environ if environ is None else environ
    if secrets_file is None:
        secrets_file = Path(env.get("COPILOT_SECRETS_FILE") or SECRETS_FILE)
    secrets = _read_secrets(secrets_file)
    values: dict[str, Any] = {"hosted": _has_auth_section(secrets)}
    for name in Settings.__dataclass_fields__:
        if name in _DERIVED:
            continue
        key = name.upper()
        value = env.get(key) or secrets.get(key) or secrets.get(name)
        if value not in (None, ""):
            values[name] = str(value).strip()
    if "copilot_model_context" in values:
        values["copilot_model_context"] = _context_tokens(values["copilot_model_context"])
    return Settings(**values)


def _context_tokens(text: str) -> int:
    """``COPILOT_MODEL_CONTEXT`` as tokens; a ValueError with a sentence when it is not one."""
    cleaned = text.replace("_", "").replace(",", "")
    if not cleaned.isdigit():
        raise ValueError(
            f"COPILOT_MODEL_CONTEXT must be a whole number of tokens (the model's context "
            f"window, e.g. 16384), not {text!r}."
        )
    tokens = int(cleaned)
    if tokens < MIN_MODEL_CONTEXT:
        raise ValueError(
            f"COPILOT_MODEL_CONTEXT is {tokens} tokens; the chat needs at least "
            f"{MIN_MODEL_CONTEXT}. Give the model server a larger context (Ollama: "
            "OLLAMA_CONTEXT_LENGTH or num_ctx) and set it to that."
        )
    return tokens
