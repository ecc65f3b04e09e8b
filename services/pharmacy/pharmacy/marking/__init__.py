"""Drug marking codes (GS1 DataMatrix of the national track-and-trace system): parsing of scans."""

from pharmacy.marking.gs1 import MarkingCode, MarkingCodeError, complete_gtin, parse_marking_code

__all__ = ["MarkingCode", "MarkingCodeError", "complete_gtin", "parse_marking_code"]
