"""Translations of the knowledge base's texts, as data beside the English (issue 15).

`knowledge/i18n/<language>/*.yaml` maps the address of an English text to its translation and
to the English it was made from:

    facts.yaml#stage.question:
      en: Are you a medical student, or do you hold a medical degree?
      text: Êtes-vous étudiant en médecine, ou titulaire d'un diplôme de médecin ?

An address is a knowledge file and the path to the text in it, list items named by their `id`
where they have one (`ca/pathways/b1-elective.yaml#warnings.elective-final-years.text`), and by
their id and `from` date where several share an id (`us/visas/vwp-business.yaml#fees.esta@2025-11-19.text`).
English stays the authoritative text: a translation is used only while its `en` is still the
English at its address; when the English changes, `pathways kb check` reports the translation
as stale and the pages show the English until it is translated again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .yamlfile import Problem, read_yaml

I18N_FOLDER = "i18n"
LANGUAGES = ("fr", "es", "pt", "ar")  # besides English, the authoritative text
TEXT_KEYS = ("text", "question", "help", "name", "takes_text")  # the texts a person reads; `labels` values too


class Translation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str  # the English it was made from
    text: str


@dataclass(frozen=True)
class Entry:
    language: str
    address: str
    translation: Translation
    file: str
    line: int | None


def _walk(data: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every text a person reads in a knowledge file; list items by their id."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in TEXT_KEYS:
                yield path + (key,), value
            elif key == "labels" and isinstance(value, dict):
                yield from ((path + (key, str(k)), v) for k, v in value.items() if isinstance(v, str))
            else:
                yield from _walk(value, path + (str(key),))
    elif isinstance(data, list):
        names = [item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else str(i)
                 for i, item in enumerate(data)]
        for i, (item, name) in enumerate(zip(data, names)):
            if names.count(name) > 1:  # dated entries sharing an id (a fee's amounts): each its own address
                name = f"{name}@{item.get('from') or i}"
            yield from _walk(item, path + (name,))


def english_texts(root: Path) -> dict[str, str]:
    """Address -> English text, for every readable text of the knowledge files (not the
    sources' titles, the populations' marginals or the translations themselves)."""
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root)
        if rel.parts[0] in (I18N_FOLDER, "sources", "populations", "letters"):  # letters: English documents for US offices
            continue
        file, _ = read_yaml(path, str(rel))
        if file is None:
            continue
        for keys, text in _walk(file.data, ()):
            out[f"{rel.as_posix()}#{'.'.join(keys)}"] = text
    return out


def read_entries(root: Path, language: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Every translation entry (of `language` only, when given: the other folders are not read)."""
    entries, problems = [], []
    folder = root / I18N_FOLDER
    if not folder.is_dir():
        return entries, problems
    adapter = TypeAdapter(dict[str, Translation])
    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(root)
        lang = rel.parts[1] if len(rel.parts) > 2 else ""
        if language and lang != language:
            continue
        if lang not in LANGUAGES:
            problems.append(Problem(str(rel), 1, f"not a language folder: translations live in {I18N_FOLDER}/<language>/, "
                                                 f"one of {', '.join(LANGUAGES)}"))
            continue
        file, read = read_yaml(path, str(rel))
        problems += read
        if file is None:
            continue
        try:
            found = adapter.validate_python(file.data or {})
        except ValidationError as error:
            problems += [Problem(str(rel), file.line(tuple(e["loc"])), f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                         for e in error.errors()]
            continue
        entries += [Entry(lang, address, t, str(rel), file.line((address,))) for address, t in found.items()]
    return entries, problems


def check_translations(root: Path) -> list[Problem]:
    """A translation of nothing (its address holds no text) is an error; one whose English has
    changed since it was made is stale."""
    english = english_texts(root)
    entries, problems = read_entries(root)
    for e in entries:
        current = english.get(e.address)
        if current is None:
            problems.append(Problem(e.file, e.line, f"{e.address}: no text at this address to translate"))
        elif current.strip() != e.translation.en.strip():
            problems.append(Problem(e.file, e.line, f"{e.address}: the English changed since this translation was "
                                                    f"made; translate the new English and set `en` to it", "stale"))
        elif _names(e.translation.text) != _names(current):
            problems.append(Problem(e.file, e.line, f"{e.address}: the translation must fill in the same values as the "
                                                    f"English: ${{{'}, ${'.join(sorted(_names(current)))}}}"
                                                    if _names(current) else f"{e.address}: the English fills in no value"))
    return problems


def _names(text: str) -> set[str]:
    """The `${name}` values a text fills in."""
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text))


def translations(root: Path, language: str) -> dict[str, str]:
    """English -> translation in `language`, for every translation still current (a stale one
    is left out: its English shows)."""
    if language not in LANGUAGES:
        return {}
    english = english_texts(root)
    entries, _ = read_entries(root, language)
    return {e.translation.en.strip(): e.translation.text for e in entries
            if english.get(e.address, "").strip() == e.translation.en.strip()}


def coverage(root: Path) -> dict[str, tuple[int, int]]:
    """Language -> (texts translated and current, texts in all)."""
    english = english_texts(root)
    entries, _ = read_entries(root)
    current = {lang: {e.address for e in entries if e.language == lang
                      and english.get(e.address, "").strip() == e.translation.en.strip()} for lang in LANGUAGES}
    return {lang: (len(current[lang]), len(english)) for lang in LANGUAGES}


class Translator(Mapping):
    """English -> translation, for whole texts and for sentences filled from a template.

    A text the engine fills in (knowledge/messages.yaml; a reform's text with its parameters)
    is not found as it was translated: "Housing and meals for 42 nights in Oakland, ..." was
    translated as "... for ${nights} nights in ${city}, ...". Such a sentence is matched back
    to its English template, each value found in it is translated in turn (a policy's name, a
    step, a city, a nested sentence) and the translated template is filled with them. A value
    with no translation (a number, a date, a code) stays as it is. Texts that match nothing are
    not in the mapping: the face shows them in English."""

    def __init__(self, exact: Mapping[str, str], shorten=None):
        self._exact = dict(exact)
        self._templates = [(_pattern(en), Template(text.strip())) for en, text in self._exact.items() if "${" in en]
        self._templates.sort(key=lambda t: -len(t[0].pattern))  # the most specific first
        # a step's first clause (rules/messages.short) -> the translation's first clause
        self._short = {shorten(en): shorten(text) for en, text in self._exact.items()} if shorten else {}
        self.lookup = lru_cache(maxsize=8192)(self._lookup)

    def __getitem__(self, text: str) -> str:
        found = self.lookup(text.strip()) if isinstance(text, str) else None
        if found is None:
            raise KeyError(text)
        return found

    def __iter__(self):
        return iter(self._exact)

    def __len__(self) -> int:
        return len(self._exact)

    def _lookup(self, text: str) -> str | None:
        found = self._exact.get(text)
        if found is not None:
            return found
        for pattern, template in self._templates:
            match = pattern.fullmatch(text)
            if match:
                return template.safe_substitute({k: self._value(v) for k, v in match.groupdict().items()})
        return None

    def _value(self, value: str) -> str:
        """A value found in a filled sentence, translated where it is a text of the knowledge
        base (kept with the spaces around it), else as it is."""
        core = value.strip()
        if not core:
            return value
        found = self.lookup(core) or self._short.get(core)
        if found is None and core[0].islower():  # a name put inside a sentence ("an international medical student")
            capital = self.lookup(core[0].upper() + core[1:])
            found = capital[0].lower() + capital[1:] if capital else None
        if found is None:
            return value
        head, tail = value[:len(value) - len(value.lstrip())], value[len(value.rstrip()):]
        return head + found + tail


def _pattern(english: str) -> re.Pattern:
    """A filled sentence's pattern: the template's words as they are, each `${name}` any text
    (the same name twice, the same text)."""
    parts, seen, at = [], set(), 0
    english = english.strip()
    for match in re.finditer(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\$", english):
        parts.append(re.escape(english[at:match.start()]))
        name = match.group(1)
        if name is None:
            parts.append(re.escape("$"))
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.*?)")
        at = match.end()
    parts.append(re.escape(english[at:]))
    return re.compile("".join(parts), re.DOTALL)
