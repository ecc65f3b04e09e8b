"""Medico-economic control (МЭК) of dispensed prescriptions: the registry of dispensed
prescriptions per period and pharmacy, the control run (the dispensing checks re-run as a batch
plus the checks only a batch can make), the expertise act and the exports for the fund."""
