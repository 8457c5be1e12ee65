"""Pure functions from FreshBooks records to the numbers and charts the pages show.

Start with :func:`insights.frames.build_frames` (a snapshot and ``today`` in, DataFrames
out), then:

- :mod:`insights.receivables`: outstanding, overdue, aging (and FreshBooks' Accounts Aging),
  top debtors, days to pay;
- :mod:`insights.cashflow`: collected, income, expenses, profit, revenue against expenses;
- :mod:`insights.spending`: expenses by category, month and vendor;
- :mod:`insights.time`: hours by week, project, client; billable split; unbilled time;
- :mod:`insights.clients`: client balances, project budgets;
- :mod:`insights.kpis`: the Overview headlines with their records;
- :mod:`insights.charts`: Vega-Lite chart specs; :mod:`insights.export`: CSV;
- :mod:`insights.labels`: labels to pick records by (made for a whole frame at once).

Money is Decimal, per currency, never summed across currencies; nothing here imports
streamlit or reads the clock.
"""
