"""A deterministic synthetic register of non-working insured persons with planted truths."""

from verification.synthetic.register import SyntheticRegister, generate_register
from verification.synthetic.truths import TRUTH_KINDS, PlantedTruth

__all__ = ["TRUTH_KINDS", "PlantedTruth", "SyntheticRegister", "generate_register"]
