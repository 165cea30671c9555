"""The one JSON writer (rules/jsontext.py, orjson): the same JSON as json.dumps(ensure_ascii=False)
for what the faces write, compact or indented by two spaces, and valid JSON where json.dumps
would not be (NaN)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pathways import dumps_json, json_bytes


class Share(float):
    """A subclass of float, which orjson leaves to the caller."""


VALUE = {"text": "Zoë, محمد, 東京 \"quoted\"\n", 3: "a number as a key", "nested": [1, 2.5, None, True, {"a": []}],
         "tuple": (1, 2), "numpy": [np.int64(7), np.float64(0.1)], "subclass": Share(0.25), "empty": {}}


def test_compact_text_reads_back_as_json_dumps_does_and_keeps_letters_unescaped():
    text = dumps_json(VALUE)
    assert json.loads(text) == json.loads(json.dumps(VALUE, ensure_ascii=False, default=int))
    assert "Zoë" in text and "\\u" not in text and "\n" not in text
    assert '"nested":[1,2.5,null,true,{"a":[]}]' in text and '"3":"a number as a key"' in text  # compact
    assert json_bytes(VALUE) == text.encode()


def test_indented_text_is_json_dumps_indent_2():
    plain = {"a": [1, {"b": "c"}], "d": {}, "e": []}
    assert dumps_json(plain, indent=True) == json.dumps(plain, indent=2, ensure_ascii=False)


def test_nan_is_written_null_and_a_set_is_refused():
    assert json.loads(dumps_json({"x": float("nan")})) == {"x": None}
    with pytest.raises(TypeError):
        dumps_json({"x": {1, 2}})
