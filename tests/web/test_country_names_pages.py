"""The nationality question in the page's language (issue 15 point 1): a country typed in
French, Spanish, Portuguese or Arabic is kept as its code; the suggestions and the answers read
back name the countries in the page's language; an unknown name is still a clear error."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlencode

import pytest

BEFORE = "/interview/?desired_contact=supervised&stage=graduate&fact=citizenships&"
KEPT = "/interview/?desired_contact=supervised&stage=graduate&citizenships="


@pytest.mark.parametrize("lang, typed, codes", [
    ("fr", ["Ouganda"], "UG"), ("fr", ["ouganda", "Sénégal"], "UG,SN"), ("fr", ["Nigéria, Kenya"], "NG,KE"),
    ("es", ["Uganda"], "UG"), ("es", ["Sudán"], "SD"), ("pt", ["Moçambique"], "MZ"),
    ("ar", ["السودان"], "SD"), ("ar", ["أوغندا، السودان"], "UG,SD"),
    ("en", ["Ouganda"], "UG"),  # a name is read whatever the page's language
])
def test_a_nationality_typed_in_the_page_s_language_is_kept_as_its_code(client, lang, typed, codes):
    page = client.get(BEFORE + urlencode([("answer", t) for t in typed] + [("lang", lang)]))
    assert page.status_code == 302, page.content.decode()[:1500]
    assert page["Location"].startswith(KEPT + codes)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_unknown_name_is_still_a_clear_error(client, lang):
    page = client.get(BEFORE + urlencode([("answer", "Ouganda, Narnia"), ("lang", lang)]))
    text = page.content.decode()
    assert page.status_code == 200 and 'role="alert"' in text
    assert "“Narnia”" in text and 'value="Ouganda, Narnia"' in text  # named, and kept to correct


@pytest.mark.parametrize("lang, shown, english", [("fr", "Ouganda", "Uganda"), ("ar", "السودان", "Sudan"),
                                                  ("pt", "Moçambique", "Mozambique")])
def test_the_suggestions_name_the_countries_in_the_page_s_language(client, lang, shown, english):
    text = client.get(BEFORE + urlencode([("answer", ""), ("lang", lang)])).content.decode()
    datalist = re.search(r'<datalist id="countries">(.*?)</datalist>', text, re.S).group(1)
    values = [html_lib.unescape(v) for v in re.findall(r'<option value="([^"]+)"', datalist)]
    assert shown in values and english not in values
    assert len(values) >= 250  # every country, and the common spellings


@pytest.mark.parametrize("lang, names", [("fr", ["Côte d’Ivoire", "Ouganda"]), ("es", ["Côte d’Ivoire", "Uganda"]),
                                         ("ar", ["ساحل العاج", "أوغندا"])])
def test_the_nationalities_given_are_read_back_in_the_page_s_language(client, lang, names):
    text = html_lib.unescape(client.get(f"{KEPT}CI,UG&lang={lang}").content.decode())
    separator = "، " if lang == "ar" else ", "  # Arabic lists with its own comma
    assert separator.join(names) in text
