"""Clients and projects: balances, what was billed and paid, how fast they pay, budgets."""

from __future__ import annotations

import streamlit as st

from insights.clients import client_balances, project_budgets
from ui.page import dashboard
from ui.tables import csv_button, show_table

frames = dashboard("Clients & projects").frames

st.subheader("Clients")
balances = client_balances(frames.invoices, frames.today)
if balances.empty:
    st.caption("No invoiced clients yet.")
else:
    st.caption("One row per client and currency: balances in different currencies are never added.")
    show_table(
        balances.sort_values(["currency", "outstanding"], ascending=[True, False]),
        labels={
            "client": "Client",
            "currency": "Currency",
            "billed": "Billed to date",
            "paid": "Paid to date",
            "outstanding": "Outstanding",
            "overdue": "Overdue",
            "invoices": "Invoices",
            "avg_days_to_pay": "Avg. days to pay",
        },
    )
    csv_button(balances, "client-balances", key="clients-csv")

st.subheader("Projects")
budgets = project_budgets(frames.projects, frames.time)
if budgets.empty:
    st.caption("No projects yet.")
else:
    show_only_active = st.toggle("Active projects only", value=True, key="projects-active")
    if show_only_active:
        budgets = budgets[budgets["active"] & ~budgets["complete"]]
    st.dataframe(
        budgets[
            [
                "project",
                "client",
                "budget_hours",
                "logged_hours",
                "remaining_hours",
                "used_pct",
                "over_budget",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "project": "Project",
            "client": "Client",
            "budget_hours": st.column_config.NumberColumn("Budget (h)", format="%.1f"),
            "logged_hours": st.column_config.NumberColumn("Logged (h)", format="%.1f"),
            "remaining_hours": st.column_config.NumberColumn("Remaining (h)", format="%.1f"),
            "used_pct": st.column_config.ProgressColumn(
                "Budget used", format="%.0f%%", min_value=0, max_value=100
            ),
            "over_budget": "Over budget",
        },
    )
    csv_button(budgets, "project-budgets", key="projects-csv", decimals_are_money=False)
