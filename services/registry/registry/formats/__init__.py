"""Parsers and writers of external file formats the registry reads or produces."""
