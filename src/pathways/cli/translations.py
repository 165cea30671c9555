"""`pathways kb translations`: how much of the knowledge base each language has, and the YAML
of what is still to translate (a contributor fills in `text` and saves it under
knowledge/i18n/<language>/)."""

from __future__ import annotations

import sys
from typing import Optional

import typer


def kb_translations(
    language: Optional[str] = typer.Option(None, "--language", help="fr, es, pt or ar: print what it still lacks, as YAML."),
    under: str = typer.Option("", "--under", help="Only addresses that begin so, such as facts.yaml or ca/pathways/."),
) -> None:
    """How much each language has translated; with --language, the texts it still lacks."""
    import yaml

    from .app import _engine, _fail

    engine = _engine()
    if language is None:
        for lang, (done, total) in engine.translation_coverage().items():
            sys.stdout.write(f"{lang}: {done} of {total} texts translated and current\n")
        return
    try:
        missing = engine.untranslated(language, under)
    except KeyError as error:
        _fail([f"--language: {error.args[0]}"])
    sys.stdout.write(yaml.safe_dump({a: {"en": en, "text": ""} for a, en in missing.items()},
                                    allow_unicode=True, sort_keys=False, width=1000))
