"""The drug catalogue: drugs with their GTINs and drug lists; search, lookup by GTIN, edits."""
