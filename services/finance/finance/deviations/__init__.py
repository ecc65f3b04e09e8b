"""Deviation search over the collected figures (issue 6, «Deviation detection»): month-on-month
and peer-group outliers by robust z-score, and rule-based alerts; findings stored in
``deviation`` (one per MO, month, kind and metric), listed with an explanation, acknowledged,
and published as ``finance.deviation.detected``."""
