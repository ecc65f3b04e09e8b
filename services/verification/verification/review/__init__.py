"""The review queue of a run: borderline candidate pairs (register record beside the source
record or the other register record, with the per-field evidence), the operator's confirm or
reject recorded by the pair's stable key and the subject's outcome decided again by the rules."""
