"""Exchange Pathways: which visa and California authorization let a person train hands-on.

The public library. `Engine` is the one way in: the CLI, the API, the pages, the PDF and
the workspace call its methods (find, explain, plan, next_question, the knowledge items)
and render the verdicts it returns; nothing else of the core is theirs to import.

    from pathways import Engine
    engine = Engine.load()
    verdict = engine.find({"citizenships": ["UG"], "stage": "student"})
    verdict_json(verdict)                       # the contract's JSON

Importing the package does nothing: names load on first use (PEP 562), and knowledge is
read when an engine first needs it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.2.0"

# name -> the module that defines it
_EXPORTS = {
    "Engine": "pathways.engine.core",
    "UnknownPathway": "pathways.engine.core",
    "Verdict": "pathways.engine.verdict",
    "PathwayVerdict": "pathways.engine.verdict",
    "RequirementVerdict": "pathways.engine.verdict",
    "WarningVerdict": "pathways.engine.verdict",
    "ProgramVerdict": "pathways.engine.verdict",
    "Step": "pathways.engine.verdict",
    "UpcomingEvent": "pathways.engine.verdict",
    "WouldTake": "pathways.engine.verdict",
    "GROUPS": "pathways.engine.verdict",
    "Timeline": "pathways.engine.plan",
    "Span": "pathways.engine.plan",
    "Costs": "pathways.engine.costs",
    "CostItem": "pathways.engine.costs",
    "Progress": "pathways.engine.interview",
    "Question": "pathways.engine.interview",
    "verdict_json": "pathways.engine.report",
    "pathway_json": "pathways.engine.report",
    "BatchWriter": "pathways.engine.report",
    "DETAILS": "pathways.engine.report",
    "KNOWLEDGE_KINDS": "pathways.engine.knowledge_items",
    "Profile": "pathways.rules.profile",
    "ProfileError": "pathways.rules.profile",
    "FieldProblem": "pathways.rules.profile",
    "HOST": "pathways.rules.profile",
    "EARLIEST": "pathways.rules.profile",
    "LATEST": "pathways.rules.profile",
    "KnowledgeError": "pathways.rules.loader",
    "read_profile": "pathways.rules.profile_file",
    "read_profile_file": "pathways.rules.profile_file",
    "load_yaml": "pathways.rules.yaml12",
    "LimitError": "pathways.rules.yaml12",
    "MAX_PROFILE_CHARS": "pathways.rules.yaml12",
    "loads_json": "pathways.rules.nesting",
    "json_bytes": "pathways.rules.jsontext",
    "dumps_json": "pathways.rules.jsontext",
    "ReformError": "pathways.rules.reform",
    "PopulationError": "pathways.engine.population",
    "country_of": "pathways.engine.population",
    "YAMLError": "pathways.rules.yaml12",
    "ProfileFileError": "pathways.rules.profile_file",
    "profile_from_cells": "pathways.engine.population",
    "Letter": "pathways.documents.compose",
    "LetterDataError": "pathways.documents.data",
    "UnknownLetterKind": "pathways.engine.letters",
    "letter_fragment": "pathways.documents",
    "letter_page": "pathways.documents",
    "letter_pdf": "pathways.documents",
    "letter_docx": "pathways.documents",
    "LETTER_STYLESHEET": "pathways.documents",
    "CATEGORIES": "pathways.rules.vocabulary",
    "CONTACT_LEVELS": "pathways.rules.vocabulary",
}

# modules of the core that the faces use whole: `from pathways import identity` (what an SSN,
# ITIN or passport number looks like: the workspace's validators and the letters share it)
_MODULES = {"identity": "pathways.rules.identity"}

__all__ = sorted([*_EXPORTS, *_MODULES])


def __getattr__(name: str):
    if name in _MODULES:
        value = import_module(_MODULES[name])
    else:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'pathways' has no attribute {name!r}")
        value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__


if TYPE_CHECKING:  # for type checkers and editors
    from .engine.core import Engine, UnknownPathway  # noqa: F401
    from .engine.costs import CostItem, Costs  # noqa: F401
    from .engine.interview import Progress, Question  # noqa: F401
    from .engine.knowledge_items import KNOWLEDGE_KINDS  # noqa: F401
    from .engine.plan import Span, Timeline  # noqa: F401
    from .engine.report import DETAILS, BatchWriter, pathway_json, verdict_json  # noqa: F401
    from .engine.verdict import (GROUPS, PathwayVerdict, ProgramVerdict, RequirementVerdict, Step,  # noqa: F401
                                 UpcomingEvent, Verdict, WarningVerdict, WouldTake)
    from .rules.loader import KnowledgeError  # noqa: F401
    from .rules.profile import EARLIEST, HOST, LATEST, FieldProblem, Profile, ProfileError  # noqa: F401
    from .rules.profile_file import ProfileFileError, read_profile, read_profile_file  # noqa: F401
    from .engine.population import PopulationError, country_of  # noqa: F401
    from .rules.nesting import loads_json  # noqa: F401
    from .rules.jsontext import dumps_json, json_bytes  # noqa: F401
    from .rules.reform import ReformError  # noqa: F401
    from .rules.yaml12 import MAX_PROFILE_CHARS, LimitError, YAMLError, load_yaml  # noqa: F401
    from .rules.vocabulary import CATEGORIES, CONTACT_LEVELS  # noqa: F401
    from .engine.population import profile_from_cells  # noqa: F401
    from .engine.letters import UnknownLetterKind  # noqa: F401
    from .documents import LETTER_STYLESHEET, letter_docx, letter_fragment, letter_page, letter_pdf  # noqa: F401
    from .documents.compose import Letter  # noqa: F401
    from .documents.data import LetterDataError  # noqa: F401
    from .rules import identity  # noqa: F401
