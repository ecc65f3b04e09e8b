"""Prescription rules of the drug benefit (ЛЛО): validity, series and number, required fields,
deferred-service deadlines on the production calendar. Pure domain code, no database."""
