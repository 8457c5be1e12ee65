"""A page's confirm card for one write: what will change, then Confirm or Cancel."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from agent.tool import ProposedChange
from agent.writes import WriteOutcome

from . import keys

__all__ = ["confirm_card", "flash_outcome"]


def confirm_card(
    card: ProposedChange, *, key: str, can_write: bool
) -> Literal["confirm", "cancel"] | None:
    """Show ``card`` (title, fields, warnings) with Confirm (off when the person's role cannot
    write) and Cancel; returns the click of this run, if any."""
    with st.container(border=True, key=f"{key}-card"):
        st.markdown(f"**Proposed change: {card.title}**")
        st.table([{"Field": k, "Value": v} for k, v in card.fields], hide_index=True)
        for warning in card.warnings:
            st.warning(warning)
        confirm, cancel, _ = st.columns([1, 1, 4])
        if confirm.button("Confirm", key=f"{key}-confirm", type="primary", disabled=not can_write):
            return "confirm"
        if cancel.button("Cancel", key=f"{key}-cancel"):
            return "cancel"
    return None


def flash_outcome(outcome: WriteOutcome) -> None:
    """Show how a confirmed write ended at the top of the next run (done, not confirmed by
    FreshBooks, or failed)."""
    kind = "success" if outcome.ok else "warning" if outcome.unconfirmed else "error"
    st.session_state[keys.FLASH] = (kind, outcome.summary)
