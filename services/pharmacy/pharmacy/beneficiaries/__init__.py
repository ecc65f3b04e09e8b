"""The register of beneficiaries (льготники): categories, entitlements on a date, the federal
register's load with its diff. endpoints → service → repository; models in pharmacy.models."""
