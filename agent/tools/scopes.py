"""The OAuth scopes each tool needs, named through the resources' own declarations.

A tool whose scopes the connection lacks is not offered to the model, and a call to it is
answered with the sentence that says which scope to add. Reads need the read scope of what
they read; writes need the write scope of what they change (and the read scope of what their
confirm card reads).
"""

from __future__ import annotations

from fbclient.resources.clients import Clients
from fbclient.resources.estimates import Estimates
from fbclient.resources.expenses import Expenses
from fbclient.resources.invoice_profiles import InvoiceProfiles
from fbclient.resources.invoices import Invoices
from fbclient.resources.payments import Payments
from fbclient.resources.projects import Projects
from fbclient.resources.reports import Reports
from fbclient.resources.services import Services
from fbclient.resources.team_members import TeamMembers
from fbclient.resources.time_entries import TimeEntries

__all__ = ["NEEDS"]

_CLIENTS, _INVOICES, _ESTIMATES = Clients.scopes, Invoices.scopes, Estimates.scopes
_EXPENSES, _PROJECTS, _TIME = Expenses.scopes, Projects.scopes, TimeEntries.scopes

NEEDS: dict[str, tuple[str, ...]] = {
    "business_summary": (_INVOICES.read,),
    "search_clients": (_CLIENTS.read,),
    "get_client": (_CLIENTS.read,),
    "find_client": (_CLIENTS.read,),
    "create_client": (_CLIENTS.read, _CLIENTS.write),
    "update_client": (_CLIENTS.read, _CLIENTS.write),
    "search_invoices": (_INVOICES.read,),
    "get_invoice": (_INVOICES.read,),
    "create_invoice": (_CLIENTS.read, _INVOICES.read, _INVOICES.write),
    "update_invoice": (_INVOICES.read, _INVOICES.write),
    "send_invoice_email": (_INVOICES.read, _INVOICES.write),
    "mark_invoice_sent": (_INVOICES.read, _INVOICES.write),
    "archive_invoice": (_INVOICES.read, _INVOICES.write),
    "search_recurring_invoices": (InvoiceProfiles.scopes.read,),
    "create_recurring_invoice": (
        _CLIENTS.read,
        InvoiceProfiles.scopes.read,
        InvoiceProfiles.scopes.write,
    ),
    "update_recurring_invoice": (InvoiceProfiles.scopes.read, InvoiceProfiles.scopes.write),
    "stop_recurring_invoice": (InvoiceProfiles.scopes.read, InvoiceProfiles.scopes.write),
    "search_estimates": (_ESTIMATES.read,),
    "get_estimate": (_ESTIMATES.read,),
    "create_estimate": (_CLIENTS.read, _ESTIMATES.read, _ESTIMATES.write),
    "update_estimate": (_ESTIMATES.read, _ESTIMATES.write),
    "send_estimate_email": (_CLIENTS.read, _ESTIMATES.read, _ESTIMATES.write),
    # Reads the estimate and the client's invoices (is it already invoiced?), writes an invoice.
    "convert_estimate_to_invoice": (
        _CLIENTS.read,
        _ESTIMATES.read,
        _INVOICES.read,
        _INVOICES.write,
    ),
    "search_payments": (Payments.scopes.read,),
    "record_payment": (_INVOICES.read, Payments.scopes.write),
    "search_expenses": (_EXPENSES.read,),
    "list_expense_categories": (_EXPENSES.read,),
    "create_expense": (_EXPENSES.read, _EXPENSES.write),
    "update_expense": (_EXPENSES.read, _EXPENSES.write),
    "archive_expense": (_EXPENSES.read, _EXPENSES.write),
    # Uploads the receipt ([?] no scope of its own is documented) and creates the expense.
    "create_expense_from_receipt": (_EXPENSES.read, _EXPENSES.write),
    "search_projects": (_PROJECTS.read,),
    "get_project": (_PROJECTS.read,),
    "find_project": (_PROJECTS.read,),
    "create_project": (_PROJECTS.read, _PROJECTS.write),
    "update_project": (_PROJECTS.read, _PROJECTS.write),
    "search_time_entries": (_TIME.read,),
    "log_time": (_TIME.read, _TIME.write),
    "running_timers": (_TIME.read,),
    "start_timer": (_TIME.read, _TIME.write),
    "pause_timer": (_TIME.read, _TIME.write),
    "resume_timer": (_TIME.read, _TIME.write),
    "stop_timer": (_TIME.read, _TIME.write),
    "fill_timesheet_gaps": (_TIME.read, _TIME.write),
    "update_time_entry": (_TIME.read, _TIME.write),
    "delete_time_entry": (_TIME.read, _TIME.write),
    "list_services": (Services.scopes.read,),
    "list_team_members": (TeamMembers.scopes.read,),
    "profit_and_loss": (Reports.scopes.read,),
    "accounts_aging": (Reports.scopes.read,),
    "payments_collected": (Reports.scopes.read,),
    "tax_summary": (Reports.scopes.read,),
    "overdue_reminders": (_INVOICES.read,),
    "chase_invoices": (_INVOICES.read, _INVOICES.write, Payments.scopes.read),
    "cash_forecast": (_INVOICES.read, Payments.scopes.read, _EXPENSES.read),
    # Rates come from the project when services cannot be read.
    "invoice_unbilled_time": (_TIME.read, _TIME.write, _INVOICES.write),
}
