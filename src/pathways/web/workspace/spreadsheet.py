"""CSV that the workspace writes, safe to open in a spreadsheet: every CSV writer goes through
`csv_text`.

Excel, LibreOffice and Google Sheets read a cell that begins with = + - @, a tab or a
carriage return as a formula: a partner named `=HYPERLINK("https://example.org", "Open")`
becomes a link in the dean's spreadsheet, and DDE formulas can run commands. OWASP's
advice (CSV Injection) is followed: such a cell is prefixed with a single quote, which the
spreadsheet shows as text. Numbers are written as they are: -3 is a number, not a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """The value as a spreadsheet will read it as text: text that would start a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A header and rows as CSV text, every cell neutralised by `cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(v) for v in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()
