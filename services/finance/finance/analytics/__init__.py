"""Dashboards over the collected figures and what other services tell finance (issue 6,
«Analytics»): structure, dynamics, plan vs actual, comparisons between MOs, KPIs, payables,
drug spending, verification savings. Every query goes through ``finance.scope``."""
