"""The simulator's public names, for the CLI, the API and users' scripts (the engine is
`pathways.Engine`: read_reforms, reformed, simulate, population, synthetic_population)."""

from .engine.population import PopulationError  # noqa: F401
from .rules.reform import ReformError  # noqa: F401
