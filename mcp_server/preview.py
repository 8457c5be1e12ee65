"""A proposed change as the person reads it before saying yes: the confirm card, in text."""

from __future__ import annotations

from agent.tool import ProposedChange

__all__ = ["preview_text"]


def preview_text(proposal: ProposedChange, business: str) -> str:
    """The card's title, client, fields, amounts and warnings, one per line."""
    lines = [f"{proposal.title} (in {business})", ""]
    rows = list(proposal.fields)
    if proposal.client and not any(label == "Client" for label, _ in rows):
        rows.insert(0, ("Client", proposal.client))
    lines += [f"{label}: {value}" for label, value in rows]
    if proposal.amounts:
        lines.append("Amounts: " + ", ".join(proposal.amounts))
    lines += [f"Warning: {warning}" for warning in proposal.warnings]
    lines += ["", "Nothing changes in FreshBooks unless you accept."]
    return "\n".join(lines)
