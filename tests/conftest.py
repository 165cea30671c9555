"""Shared fixtures: the knowledge base and engine, loaded once per test session."""

from __future__ import annotations

import pytest

from pathways.engine.core import Engine
from pathways.rules.loader import load_knowledge


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb):
    return Engine(kb)
