"""Estimates as a table: the open ones first, newest first, money as Decimal with its currency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from fbclient.models.estimates import Estimate, EstimateStatus

__all__ = ["ESTIMATE_COLUMNS", "estimates_frame"]

ESTIMATE_COLUMNS = (
    "estimate_id",
    "number",
    "client",
    "date",
    "status",
    "amount",
    "currency",
    "open",
)
# Still waiting on the client: not yet turned into an invoice.
_OPEN = {EstimateStatus.DRAFT, EstimateStatus.SENT, EstimateStatus.VIEWED, EstimateStatus.REPLIED}


def _client(estimate: Estimate, names: Mapping[int, str]) -> str:
    if estimate.customerid is not None and estimate.customerid in names:
        return names[estimate.customerid]
    person = " ".join(p for p in (estimate.fname, estimate.lname) if p)
    return estimate.organization or person or "—"


def _status(estimate: Estimate) -> str:
    known = estimate.estimate_status
    if known is not None:
        return known.name.lower()
    return estimate.ui_status or estimate.display_status or "unknown"


def estimates_frame(
    estimates: Iterable[Estimate], client_names: Mapping[int, str] | None = None
) -> pd.DataFrame:
    """One row per live estimate (deleted ones left out): open ones first, newest first."""
    names = client_names or {}
    rows = [
        {
            "estimate_id": e.id,
            "number": e.estimate_number or str(e.id),
            "client": _client(e, names),
            "date": pd.Timestamp(e.create_date) if e.create_date else pd.NaT,
            "status": _status(e),
            "amount": e.amount.amount if e.amount is not None else None,
            "currency": e.amount.code if e.amount is not None else e.currency_code,
            "open": e.estimate_status in _OPEN,
        }
        for e in estimates
        if e.vis_state != 1
    ]
    frame = pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
    if frame.empty:
        return frame
    return frame.sort_values(["open", "date"], ascending=[False, False]).reset_index(drop=True)
