"""`pathways simulate`: read the reforms and the population, run, print the JSON or a table."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def parse_params(params: list[str], fail) -> dict[str, dict[str, str]]:
    """`NAME=VALUE` (every reform that declares NAME) or `REFORM.NAME=VALUE`."""
    values: dict[str, dict[str, str]] = {}
    for text in params:
        if "=" not in text:
            fail([f"--param: {text!r}; accepted: NAME=VALUE or REFORM.NAME=VALUE"])
        key, value = text.split("=", 1)
        reform, _, name = key.rpartition(".")
        values.setdefault(reform, {})[name.strip()] = value.strip()
    return values


def run_simulation(engine, population, synthetic, seed, reform_names, params, as_of, compare_as_of, state,
                   people_path, as_json, fail) -> None:
    from pathways import ProfileError
    from pathways import PopulationError, ReformError

    try:
        reforms = engine.read_reforms(reform_names, parse_params(params, fail))
        if synthetic is not None and synthetic < 1:
            fail([f"--synthetic: {synthetic}; accepted: a number of people, 1 or more"])
        chunks = engine.population(population) if population is not None else engine.synthetic_population(synthetic, seed)
        total = synthetic
        writer, handle = _people_writer(people_path, fail) if people_path else (None, None)
        with _progress(total) as advance:
            result = engine.simulate(chunks, reforms, as_of, compare_as_of, state, on_chunk=advance, people=writer,
                                     income_groups=engine.income_groups())
        if handle:
            handle.close()
    except ReformError as error:
        fail([str(p) for p in error.problems])
    except PopulationError as error:
        fail(error.lines)
    except ProfileError as error:
        fail([str(p) for p in error.problems])
    if as_json:
        from pathways import dumps_json

        sys.stdout.write(dumps_json(result, indent=True) + "\n")
    else:
        from .display import show_simulation

        show_simulation(result)


class _progress:
    """A progress bar on standard error for long runs on a terminal; silent otherwise."""

    def __init__(self, total):
        self.total = total
        self.bar = None

    def __enter__(self):
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("people", total=self.total)
        return self.advance

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def _people_writer(path: Path, fail):
    """Each person's row number, country, best open contact before and after, and the pathways
    that opened or closed, as CSV."""
    from pathways import CONTACT_LEVELS

    try:
        handle = path.open("w", newline="", encoding="utf-8")
    except OSError as error:
        fail([f"--people: cannot write {path}: {error.strerror}"])
    out = csv.writer(handle)
    out.writerow(["row", "country", "baseline_best_contact", "reform_best_contact", "change", "opened", "closed"])
    seen = {"rows": 0}

    def level(rank: int) -> str:
        return CONTACT_LEVELS[rank] if rank >= 0 else "nothing open"

    def write(chunk, before, after, b_ids, r_ids, b_open, r_open):
        b_index = {pid: j for j, pid in enumerate(b_ids)}
        r_index = {pid: j for j, pid in enumerate(r_ids)}
        for i in range(len(chunk)):
            seen["rows"] += 1
            opened = [p for p, j in r_index.items() if r_open[i, j] and not (p in b_index and b_open[i, b_index[p]])]
            closed = [p for p, j in b_index.items() if b_open[i, j] and not (p in r_index and r_open[i, r_index[p]])]
            change = "gained" if after[i] > before[i] else "lost" if after[i] < before[i] else ""
            out.writerow([seen["rows"], chunk.countries[i] or "", level(int(before[i])), level(int(after[i])), change,
                          ";".join(opened), ";".join(closed)])

    return write, handle


def run_ranking(engine, population, synthetic, seed, reform_names, params, as_of, state, as_json, fail) -> None:
    from pathways import PopulationError, ProfileError, ReformError

    def people():  # the same people for every reform: the file read again, or the same seed drawn again
        return engine.population(population) if population is not None else engine.synthetic_population(synthetic, seed)

    try:
        ranking = engine.rank_reforms(people, reform_names or None, as_of, state, parse_params(params, fail))
    except ReformError as error:
        fail([str(p) for p in error.problems])
    except (PopulationError, ProfileError) as error:
        fail(getattr(error, "lines", None) or [str(p) for p in error.problems])
    if as_json:
        from pathways import dumps_json

        sys.stdout.write(dumps_json({"ranking": ranking}, indent=True) + "\n")
        return
    from rich.text import Text

    from .layout import Col, console, print_table

    columns = [Col("reform", "id"), Col("hands-on", "fixed", "right"), Col("gained", "fixed", "right"),
               Col("lost", "fixed", "right")]
    rows = [[Text(r["id"]), Text(f"{r['gained_hands_on']:,}"), Text(f"{r['gained']:,}"), Text(f"{r['lost']:,}")]
            for r in ranking]
    print_table(console(), columns, rows, title="reforms, each alone, by the people for whom hands-on care opens",
                inline=True)
