"""Reports of runs: savings with the forecast, statistics of exclusions (reason, district, age
and sex, matching figures), trends across runs, and the printable report (XLSX, PDF)."""
