"""A fee's `from` date as a person can rely on it (issue 15). Where no source gives the day an
amount took effect, the knowledge base still dates the fee (the engine counts it from that day:
2024-01-01 for California's current licence amounts, Ohio's training certificate, the PTL), and
says so in `from_is` (schema.Fee): `effective` (the day it took effect, shown), `known-since`
(the day it became known, a notice or a law recorded: shown as "known since"), `stand-in`
(shown not at all). The knowledge browser's item pages follow it, in every language; the JSON
twin keeps the data as it is. On a phone each table row is a card, each value under its
column's name."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from pathways.rules import schema

FEE = {"id": "application", "text": "An application fee.", "usd": 100, "payer": "person", "from": "2024-01-01",
       "cite": ["ca-bpc-2435"]}


def _fees_table(html: str) -> str:
    """The item page's fees (the <dd> after the "Fees" heading, in any language)."""
    found = re.search(r'<dt>[^<]+</dt><dd><div class="table"><table><thead><tr>(?:(?!</table>).)*?'
                      r'<td data-label="[^"]+">(?:application|ptl-application|esta|provisional-license-application|'
                      r'training-certificate-application)</td>.*?</table>', html, re.S)
    assert found, "no fees table"
    return found.group(0)


def _rows(table: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)


def test_a_fee_says_what_its_from_date_is():
    assert schema.Fee.model_validate(FEE).from_is == "effective"  # the default: the day it took effect
    for meaning in ("known-since", "stand-in"):
        assert schema.Fee.model_validate({**FEE, "from_is": meaning}).from_is == meaning
    with pytest.raises(ValidationError) as error:
        schema.Fee.model_validate({**FEE, "from_is": "guessed"})
    assert "from_is" in str(error.value) and "stand-in" in str(error.value)


def test_every_fee_whose_text_says_the_day_is_unknown_is_not_dated_as_if_it_were(kb):
    """A fee whose own text says the day it took effect is not known (or not confirmed, or not
    seen) does not present its `from` as that day."""
    unknown = re.compile(r"took effect (?:is|was|were) not")  # known, confirmed, found, seen
    fees = [f for v in kb.visas.values() for f in v.fees] + [f for a in kb.authorizations.values() for f in a.fees]
    said = [f for f in fees if unknown.search(" ".join(f.text.split()))]
    assert len(said) >= 4  # the PTL's, Ohio's training certificate's, the ESTA's of November 2025, Tennessee's
    assert [(f.id, f.from_) for f in said if f.from_is == "effective"] == []
    stand_ins = [f for f in fees if f.from_is == "stand-in"]
    assert {f.id for f in stand_ins} >= {"application", "initial-license", "ptl-application",
                                         "training-certificate-application"}


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_stand_in_date_is_not_shown_and_a_real_one_is(client, lang):
    full = _fees_table(client.get(f"/knowledge/authorizations/full-license/?lang={lang}").content.decode())
    rows = {re.search(r'<td data-label="[^"]+">([a-z0-9-]+)</td>', r).group(1): r for r in _rows(full)}
    assert "2024-01-01" not in rows["application"] and "2024-01-01" not in rows["initial-license"]
    assert "2026-12-31" in rows["initial-license"]  # its last day is the statute's own
    assert "2024-01-01" in rows["renewal"] and "2027-01-01" in rows["initial-license-2027"]
    ptl = _fees_table(client.get(f"/knowledge/authorizations/ptl/?lang={lang}").content.decode())
    assert "2024-01-01" not in ptl
    ohio = _fees_table(client.get(f"/knowledge/authorizations/oh-training-certificate/?lang={lang}").content.decode())
    assert "2024-01-01" not in ohio


@pytest.mark.parametrize("lang, since", [("en", "known since"), ("fr", "connu depuis le"), ("ar", "معروف منذ")])
def test_a_date_known_only_from_a_notice_is_said_so(client, lang, since):
    esta = _fees_table(client.get(f"/knowledge/visas/vwp-business/?lang={lang}").content.decode())
    notice = next(r for r in _rows(esta) if "40.27" in r)
    assert re.search(since + r" \u2066?2025-11-19", notice), notice
    assert f"{since}" not in next(r for r in _rows(esta) if "40.62" in r)  # a date that is the day it took effect
    assert "2026-10-16" in next(r for r in _rows(esta) if "40.62" in r)
    tennessee = _fees_table(client.get(f"/knowledge/authorizations/tn-provisional-license/?lang={lang}").content.decode())
    assert re.search(since + r" \u2066?2026-05-18", tennessee)


def test_the_json_twin_keeps_the_data(client):
    data = json.loads(client.get("/knowledge/authorizations/ptl.json").content)
    fee = data["fees"][0]
    assert fee["from"] == "2024-01-01" and fee["from_is"] == "stand-in"
    esta = json.loads(client.get("/knowledge/visas/vwp-business.json").content)["fees"]
    assert [f["from_is"] for f in esta if f["from"] == "2025-11-19"] == ["known-since"]


def test_a_table_cell_names_its_column_for_a_phone(client):
    html = client.get("/knowledge/visas/vwp-business/?lang=fr").content.decode()
    table = _fees_table(html)
    head = re.findall(r'<th scope="col">([^<]+)</th>', table)
    for row in _rows(table):
        labels = re.findall(r'<td data-label="([^"]+)">', row)
        assert labels and set(labels) <= set(head), (labels, head)
        assert re.sub(r'<td data-label="[^"]+">.*?</td>|<td></td>', "", row, flags=re.S).strip() == ""
