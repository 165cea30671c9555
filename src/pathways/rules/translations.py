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

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .yamlfile import Problem, read_yaml

I18N_FOLDER = "i18n"
LANGUAGES = ("fr", "es", "pt", "ar")  # besides English, the authoritative text
TEXT_KEYS = ("text", "question", "help", "name")  # the texts a person reads; `labels` values too


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
    return problems


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
