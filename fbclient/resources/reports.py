"""Accounting reports: ``GET /accounting/account/{account_id}/reports/accounting/<name>``.

Parameters are bare (``start_date=2024-01-01``): sent as ``search[...]`` FreshBooks ignores
them and silently reports on today only. Answers use the accounting envelope
``{"response": {"result": {"<key>": {...}}}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from ..envelopes import result_of
from ..errors import ResponseFormatError
from ..models._base import FBModel, parse_model
from ..models.reports import AccountsAging, PaymentsCollected, ProfitLoss, TaxSummary
from ..query import bare_params
from ..scopes import Access
from ._base import ScopedResource

__all__ = ["Reports"]

R = TypeVar("R", bound=FBModel)

# NODE, QDX and MCPFB call "profitloss_entity"; the Java SDK calls "profitloss" [?].
PROFIT_LOSS_PATH = "profitloss_entity"


def _day(value: Any, name: str) -> date:
    # A datetime is refused: which calendar day it means depends on a timezone we'd guess.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _range(start_date: date | None, end_date: date) -> None:
    if start_date is not None and end_date < start_date:
        raise ValueError(f"end_date {end_date} is before start_date {start_date}")


def _period(start_date: date, end_date: date, currency_code: str | None) -> dict[str, Any]:
    """The leading parameters of a report over a period, checked (the order they are sent)."""
    start, end = _day(start_date, "start_date"), _day(end_date, "end_date")
    _range(start, end)
    return {"start_date": start, "end_date": end, "currency_code": currency_code}


class Reports(ScopedResource):
    """Profit and loss, tax summary, payments collected and accounts aging."""

    scopes: ClassVar[Access] = Access("reports")

    def _fetch(self, path: str, key: str, model: type[R], params: Mapping[str, Any]) -> R:
        account = self._scope.require_account()  # before any request: no account, no report
        url = f"/accounting/account/{account}/reports/accounting/{path}"
        result = result_of(self.http.request("GET", url, params=bare_params(params)), key)
        report = result.get(key)
        if report is None:
            # Tolerant: a differently named single key (path variants) is the report [?].
            dicts = [v for v in result.values() if isinstance(v, dict)]
            report = dicts[0] if len(dicts) == 1 else None
        if not isinstance(report, dict):
            raise ResponseFormatError(f"FreshBooks answered without the {key} report")
        return parse_model(model, report, f"{key} report")

    def profit_loss(
        self,
        start_date: date,
        end_date: date,
        *,
        currency_code: str | None = None,
        cash_based: bool | None = None,
        resolution: str | None = None,
    ) -> ProfitLoss:
        """Profit and loss between two dates (inclusive).

        ``resolution`` splits the columns by period, e.g. ``"m"`` (months) or ``"3m"``.
        """
        params = {
            **_period(start_date, end_date, currency_code),
            "cash_based": cash_based,
            "resolution": resolution,
        }
        return self._fetch(PROFIT_LOSS_PATH, "profitloss", ProfitLoss, params)

    def tax_summary(
        self,
        start_date: date,
        end_date: date,
        *,
        currency_code: str | None = None,
        cash_based: bool | None = None,
    ) -> TaxSummary:
        """Taxes collected and paid between two dates."""
        params = {**_period(start_date, end_date, currency_code), "cash_based": cash_based}
        return self._fetch("taxsummary", "taxsummary", TaxSummary, params)

    def payments_collected(
        self,
        start_date: date,
        end_date: date,
        *,
        currency_code: str | None = None,
        clientids: Iterable[int] | None = None,
        payment_method: str | None = None,
    ) -> PaymentsCollected:
        """Payments received between two dates, optionally for some clients or one method.

        ``clientids`` goes out as repeated ``clientids[]=`` (the wire form is unverified [?]).
        """
        params = {
            **_period(start_date, end_date, currency_code),
            "clientids": tuple(clientids) if clientids is not None else None,
            "payment_method": payment_method,
        }
        return self._fetch("payments_collected", "payments_collected", PaymentsCollected, params)

    def accounts_aging(
        self,
        end_date: date,
        *,
        start_date: date | None = None,
        currency_code: str | None = None,
    ) -> AccountsAging:
        """What clients owe as of ``end_date``, in 0-30 / 31-60 / 61-90 / 91+ day buckets.

        The docs list ``start_date`` while their example sends ``end_date`` [?]: end_date is
        always sent, start_date only when given.
        """
        end = _day(end_date, "end_date")
        start = _day(start_date, "start_date") if start_date is not None else None
        _range(start, end)
        params = {"start_date": start, "end_date": end, "currency_code": currency_code}
        return self._fetch("accounts_aging", "accounts_aging", AccountsAging, params)
