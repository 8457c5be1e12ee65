"""Hosted mode: who is logged in (Streamlit's OIDC ``st.login``), the login page, Log out.

With an ``[auth]`` table in secrets.toml the app serves several people: a visitor sees only
the login page until logged in, and every stored token, chat, audit entry and cached frame is
keyed by the logged-in user (``owner_key``). Without it the app is a single-user local
install, whose one owner is "local".
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from settings import Settings

from . import keys

__all__ = [
    "LoginRequired",
    "auth_configured",
    "current_owner",
    "display_name",
    "logout_button",
    "owner_key",
    "require_login",
]

log = logging.getLogger(__name__)

OWNER_PREFIX = "oidc:"
# Keys of the [auth] table that are settings shared by every provider, not provider tables.
_SHARED_AUTH_KEYS = frozenset({"redirect_uri", "cookie_secret", "expose_tokens"})


class LoginRequired(RuntimeError):
    """Hosted mode, and nobody is logged in: there is no owner to act for."""


def _streamlit_auth_section() -> Mapping[str, Any] | None:
    # What st.login itself will read (Streamlit's secrets files, or AppTest's secrets).
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        auth = st.secrets.get("auth")
    except Exception:  # a broken secrets file: Streamlit reports it on its own
        return None
    return auth if isinstance(auth, Mapping) and auth else None


def auth_configured(settings: Settings) -> bool:
    """Whether users must log in: an ``[auth]`` table in our secrets file or Streamlit's.

    Either one is enough (fail closed): Streamlit may read a secrets file ours does not.
    """
    return settings.hosted or _streamlit_auth_section() is not None


def owner_key(user: Mapping[str, Any]) -> str | None:
    """A stable key for a logged-in OIDC user, or None when nobody (usable) is logged in.

    The subject (``sub``) is unique per issuer, so the key is the hash of both; a provider
    that sends no subject is keyed by its verified email. Hashed: the store and the logs hold
    no address, and the key has a fixed length. Never "local".
    """
    if user.get("is_logged_in") is not True:
        return None
    issuer = str(user.get("iss") or user.get("provider") or "oidc")
    subject = user.get("sub")
    email = user.get("email")
    if subject:
        basis = f"sub\n{issuer}\n{subject}"
    elif email and user.get("email_verified") is not False:
        basis = f"email\n{issuer}\n{str(email).strip().lower()}"
    else:
        return None
    return OWNER_PREFIX + hashlib.sha256(basis.encode()).hexdigest()[:40]


def display_name(user: Mapping[str, Any]) -> str:
    """How to name the logged-in user in the sidebar."""
    return str(user.get("name") or user.get("email") or "you")


def _user() -> dict[str, Any]:
    return st.user.to_dict()


def _providers() -> list[str | None]:
    # Named providers are sub-tables of [auth] ([auth.google], ...); none means the default.
    auth = _streamlit_auth_section() or {}
    named: list[str | None] = [
        name
        for name, value in auth.items()
        if name not in _SHARED_AUTH_KEYS and isinstance(value, Mapping)
    ]
    return named or [None]


def _login_view() -> None:
    st.title("FreshBooks Copilot")
    st.write(
        "Log in to see your FreshBooks dashboards and chat. Each person's connection, "
        "chat history and audit log are their own."
    )
    if _user().get("is_logged_in") is True:
        # Logged in, but the identity token named nobody we can key data by.
        st.error("Your login did not say who you are. Log out and try another account.")
        logout_button()
        return
    for provider in _providers():
        label = "Log in" if provider is None else f"Log in with {provider.title()}"
        if st.button(label, type="primary", key=f"login-{provider or 'default'}"):
            try:
                if provider is None:
                    st.login()
                else:
                    st.login(provider)
            except StreamlitAuthError as exc:
                log.warning("login is misconfigured: %s", type(exc).__name__)
                st.error("Login is not configured correctly: ask whoever runs this app.")


def _forget_other_user(who: str) -> None:
    # A session never changes user in Streamlit (logout starts a new one); should it ever,
    # nothing the previous user saw (identity, chats, filters holding their names) survives.
    previous = st.session_state.get(keys.OWNER)
    if previous is not None and previous != who:
        for key in list(st.session_state.keys()):
            if key != keys.ROUTED:
                del st.session_state[key]
    st.session_state[keys.OWNER] = who


def require_login(settings: Settings) -> str | None:
    """The logged-in user's owner key in hosted mode, None in a local install.

    A visitor who is not logged in gets the login page, and the run stops there: no page,
    no data, no FreshBooks connection, not even the runtime is built.
    """
    if not auth_configured(settings):
        return None
    who = owner_key(_user())
    if who is None:
        if {"code", "state", "error"} & set(st.query_params.keys()):
            st.query_params.clear()  # a FreshBooks code must not linger in the address bar
        login = st.Page(_login_view, title="Log in", icon="🔐", url_path="login", default=True)
        st.navigation([login], position="hidden").run()
        st.stop()
    _forget_other_user(who)
    return who


def current_owner() -> str:
    """The logged-in user's owner key; raises ``LoginRequired`` when nobody is logged in."""
    who = owner_key(_user())
    if who is None:
        raise LoginRequired("Log in to use FreshBooks Copilot.")
    return who


def logout_button() -> None:
    """The sidebar's "Log out" (hosted mode): ends the login and starts a new session."""
    user = _user()
    if user.get("is_logged_in") is True:
        st.caption(f"Logged in as {display_name(user)}")
    if st.button("Log out", key="logout", icon="🚪"):
        st.logout()
