"""`samantha bench`: load time, reply latency and memory, on given packs and on synthetic and English-like ones."""
from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from rapidfuzz import fuzz, process

from . import cache
from .engine import Engine, bundled_dialogues, keep_for_good
from .boundary import Parser
from .errors import ExitStatus, UsageError
from .normalize import normalize
from .session import Session
from .workload import MIX, SEED, SESSION_SCRIPT, SHAPES, Probe, english_pack, probes, synthetic_pack

DEFAULT_SIZES = (1000, 10000)
INPUTS = 1000  # replies timed per configuration


# --- measures

@dataclass
class Result:
    """One measured configuration: a row of the table, a line of --json."""

    name: str
    phrasings: int | None = None
    load_ms: float | None = None
    cached_load_ms: float | None = None
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    bruteforce_p50_ms: float | None = None
    bruteforce_p99_ms: float | None = None
    typo_accuracy: float | None = None
    bruteforce_typo_accuracy: float | None = None
    rss_mb: float | None = None
    engine_mb: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {key: value for key, value in vars(self).items() if key != "extra"}
        return {key: round(value, 4) if isinstance(value, float) else value
                for key, value in {**data, **self.extra}.items()}


def rss_mb() -> float | None:
    """This process's resident memory now (Linux), else its peak, in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2 ** 20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024 if peak else None


def percentile(sorted_values: Sequence[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function()
    return value, (time.perf_counter() - start) * 1000


# Loads the packs named on its command line and prints how many milliseconds Engine.load took.
_COLD_LOAD = ("import sys, time\nfrom samantha_bot import Engine\nstart = time.perf_counter()\n"
              "Engine.load(sys.argv[1:])\nprint((time.perf_counter() - start) * 1000)")


def cold_load_ms(paths: Sequence[Path]) -> float | None:
    """How long loading the packs takes in a new Python process, as the chat's start does (no load
    cache); None when that process could not say."""
    try:
        done = subprocess.run([sys.executable, "-c", _COLD_LOAD, *map(str, paths)], capture_output=True,
                              text=True, timeout=600, check=True)
        return float(done.stdout.split()[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def measure(name: str, paths: Sequence[Path], inputs: int, stderr: TextIO,
            cache_dir: Path | None = None, cold: float | None = None) -> Result:
    """Load the packs (cold, then from the load cache), then time replies and brute force.
    `cold`: the cold load, as `samantha` starts, timed in a process of its own (cold_load_ms);
    the load timed here, after other packs came and went, is slower."""
    gc.collect()
    before = rss_mb()
    engine, load_ms = timed(lambda: Engine.load(list(paths)))
    result = Result(name, load_ms=cold, rss_mb=rss_mb())
    result.extra["load_ms_in_bench"] = round(load_ms, 1)
    if before is not None and result.rss_mb is not None:
        result.engine_mb = result.rss_mb - before
    if cache_dir is not None:
        cache.load(list(paths), cache_dir)  # a miss: loads and writes
        _, result.cached_load_ms = timed(lambda: cache.load(list(paths), cache_dir))
        # The engine's own size: every object of it is made afresh by a load from the cache.
        gc.collect()
        tracemalloc.start()
        copies = [cache.load(list(paths), cache_dir)]
        result.engine_mb = tracemalloc.get_traced_memory()[0] / 2 ** 20
        tracemalloc.stop()
        copies.clear()
    index = engine.index
    phrasings = [(index.cards[card].id, text) for card, text in zip(index.example_card, index.example_text)]
    result.phrasings = len(phrasings)
    if not phrasings:
        print(f"samantha bench: {name} has no example phrasings to time", file=stderr)
        return result
    mix = probes(phrasings, inputs)
    engine.warm()  # as the chat does once its engine is loaded
    keep_for_good()

    session = engine.new_session(seed=SEED, phase="growth")
    for probe in mix[:20]:  # warm up
        session.reply(probe.text)
    session = engine.new_session(seed=SEED, phase="growth")
    times: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    for probe in mix:
        start = time.perf_counter()
        session.reply(probe.text)
        times.append((time.perf_counter() - start) * 1000)
        by_kind[probe.kind].append(times[-1])
    times.sort()
    result.extra["p99_ms_by_kind"] = {kind: round(percentile(sorted(found), 0.99), 4)
                                      for kind, found in by_kind.items() if found}
    result.p50_ms, result.p90_ms = percentile(times, 0.50), percentile(times, 0.90)
    result.p99_ms, result.max_ms = percentile(times, 0.99), times[-1]

    typos = [probe for probe in mix if probe.kind == "typo"]
    result.typo_accuracy = _typo_accuracy(engine, typos)

    choices = [normalize(text) for _, text in phrasings]
    brute, right = [], 0
    for probe in mix:
        start = time.perf_counter()
        best = process.extractOne(normalize(probe.text), choices, scorer=fuzz.ratio)
        brute.append((time.perf_counter() - start) * 1000)
        if probe.kind == "typo" and best and phrasings[best[2]][0] == probe.card:
            right += 1
    brute.sort()
    result.bruteforce_p50_ms, result.bruteforce_p99_ms = percentile(brute, 0.5), percentile(brute, 0.99)
    result.bruteforce_typo_accuracy = right / len(typos) if typos else None
    return result


def _typo_accuracy(engine: Engine, typos: Sequence[Probe]) -> float | None:
    """The share of typo'd phrasings answered by their own card, each in a fresh session at the
    first stage where that card is open."""
    if not typos:
        return None
    right = 0
    for probe in typos:
        card = engine.cards_by_id[probe.card or ""]
        for stage in engine.stage_ids:
            session = engine.new_session(seed=SEED, phase="growth", stage=stage)
            if session.is_open(card):
                break
        right += session.reply(probe.text).card == probe.card
    return right / len(typos)


# --- many sessions

def many_sessions(engine: Engine, count: int, turns: int) -> Result:
    """`count` sessions alive in one process, answering interleaved turns: speed, then memory.

    Speed is timed untraced. Memory is the same run again under tracemalloc (about six times
    slower), which sees every allocation a session keeps, and nothing it shares with the engine.
    """
    script = [SESSION_SCRIPT[turn % len(SESSION_SCRIPT)] for turn in range(turns)]
    warm = engine.new_session(seed=0)
    for line in script:  # caches the engine keeps (spelling) fill before anything is measured
        warm.reply(line)

    def run() -> tuple[list[Session], float]:
        sessions = [engine.new_session(seed=seed) for seed in range(count)]
        start = time.perf_counter()
        for line in script:
            for session in sessions:
                session.reply(line)
        return sessions, time.perf_counter() - start

    gc.collect()
    sessions, elapsed = run()
    alive = rss_mb()
    del sessions
    gc.collect()
    tracemalloc.start()
    fresh = [engine.new_session(seed=seed) for seed in range(count)]
    fresh_bytes = tracemalloc.get_traced_memory()[0]
    del fresh
    sessions, _ = run()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return Result(f"sessions-{count}", rss_mb=alive, extra={
        "sessions": count, "turns": turns, "replies_per_s": round(count * turns / elapsed),
        "bytes_per_fresh_session": round(fresh_bytes / count), "bytes_per_session": round(used / count),
        "sessions_mb": round(used / 2 ** 20, 2), "state_json_bytes": len(json.dumps(sessions[0].to_dict()))})


# --- command line

def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="samantha bench",
        description="Time loading and replying on packs (the bundled persona by default), on "
                    "synthetic packs and on English-like ones, against brute-force rapidfuzz over "
                    "the same phrasings.")
    found.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="packs to measure (default: bundled)")
    found.add_argument("--synthetic", type=int, action="append", metavar="N",
                       help=f"a synthetic pack of N phrasings; repeatable (default: {', '.join(map(str, DEFAULT_SIZES))})")
    found.add_argument("--english", type=sizes, action="append", metavar="N[,N...]",
                       help="English-like packs of N phrasings (a fixed vocabulary of 999 common words), "
                            "one per --shape; repeatable")
    found.add_argument("--shape", type=shapes, action="append", metavar="SHAPE[,SHAPE...]",
                       help=f"English-like packs' shapes: one or ten cards of 4-16 phrasings to a theme, "
                            f"rule or rule-ten cards of one phrasing (default: {','.join(SHAPES)})")
    found.add_argument("--inputs", type=int, default=INPUTS, metavar="N", help="replies timed per pack")
    found.add_argument("--sessions", type=int, metavar="N",
                       help="also hold N sessions at once (e.g. 8316; memory is traced, so this takes a while)")
    found.add_argument("--turns", type=int, default=len(SESSION_SCRIPT), metavar="N",
                       help="turns per session with --sessions")
    found.add_argument("--json", action="store_true", help="one JSON object per configuration")
    found.add_argument("--no-cache", action="store_true", help="skip the warm (cached) load")
    return found


def sizes(text: str) -> list[int]:
    """`--english 1000,10000`: pack sizes, comma-separated."""
    return [int(size) for size in text.split(",") if size.strip()]


def shapes(text: str) -> list[str]:
    """`--shape one,ten`: English-like pack shapes, comma-separated."""
    found = [shape.strip() for shape in text.split(",") if shape.strip()]
    unknown = [shape for shape in found if shape not in SHAPES]
    if unknown or not found:
        raise argparse.ArgumentTypeError(f"unknown shape {','.join(unknown) or repr(text)}: "
                                         f"choose from {', '.join(SHAPES)}")
    return found


def configurations(args: argparse.Namespace, folder: Path) -> list[tuple[str, list[Path]]]:
    """The packs to measure, by name: the given (or bundled) ones, the synthetic ones, then the
    English-like ones (size by size, each shape), the generated ones written into `folder`."""
    found: list[tuple[str, list[Path]]] = [
        (" + ".join(str(path) for path in args.paths) or "bundled", list(args.paths) or [bundled_dialogues()])]
    generated: list[tuple[str, Callable[[], str]]] = [
        (f"synthetic-{size}", partial(synthetic_pack, size)) for size in args.synthetic or DEFAULT_SIZES]
    generated += [(f"english-{shape}-{size}", partial(english_pack, size, shape))
                  for size in english_sizes(args) for shape in english_shapes(args)]
    for name, text in generated:
        path = folder / f"{name}.yaml"
        path.write_text(text(), encoding="utf-8")
        found.append((name, [path]))
    return found


def english_sizes(args: argparse.Namespace) -> list[int]:
    """Every size given to --english, once each, in order."""
    return list(dict.fromkeys(size for given in args.english or [] for size in given))


def english_shapes(args: argparse.Namespace) -> list[str]:
    """Every shape given to --shape, once each, in order; all of them if none was given."""
    return list(dict.fromkeys(shape for given in args.shape or [] for shape in given)) or list(SHAPES)


def main(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """`samantha bench`: a bad command line or a broken pack raises, for the CLI's error boundary."""
    args = Parser.like(parser(), stdout, stderr).parse_args(list(argv))
    if min(args.inputs, args.turns, args.sessions or 1, *(args.synthetic or [1]), *english_sizes(args)) < 1:
        raise UsageError("bench: sizes, --inputs, --sessions and --turns must be 1 or more")
    if args.shape and not args.english:
        raise UsageError("bench: --shape is for English-like packs: give their sizes with --english N")
    results: list[Result] = []
    emit = (lambda result: print(json.dumps(result.to_dict()), file=stdout, flush=True)) if args.json \
        else (lambda result: None)
    with tempfile.TemporaryDirectory(prefix="samantha-bench-") as scratch:
        folder = Path(scratch)
        cache_dir = None if args.no_cache else folder / "cache"
        packs = configurations(args, folder)
        # Cold loads first, each in a process of its own while this one is still small: a big
        # process beside it (this one, once it has held a big pack) slows it by a tenth or more.
        colds = [cold_load_ms(paths) for _, paths in packs]
        for (name, paths), cold in zip(packs, colds):
            result = measure(name, paths, args.inputs, stderr, cache_dir, cold)
            results.append(result)
            emit(result)
        if args.sessions:
            result = many_sessions(Engine.load(packs[0][1]), args.sessions, args.turns)
            results.append(result)
            emit(result)
    if not args.json:
        print(table(results), file=stdout)
    return ExitStatus.OK


def table(results: Sequence[Result]) -> str:
    """The figures as Markdown tables (README's Benchmarks section holds them)."""
    def cell(value: Any, digits: int = 2) -> str:
        if value is None:
            return "-"
        return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"

    def ratio(brute: float | None, ours: float | None) -> str:
        return f"{brute / ours:,.1f}x" if brute and ours else "-"

    packs = [result for result in results if "sessions" not in result.extra]
    rows = ["| pack | phrasings | load ms: cold / cached | reply ms: p50 / p90 / p99 / max "
            "| brute force ms: p50 / p99 | faster: p50 / p99 | typo'd answered by own card (brute force) "
            "| RSS MB (engine MB) |",
            "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for result in packs:
        accuracy = "-" if result.typo_accuracy is None else f"{result.typo_accuracy:.1%}" + (
            "" if result.bruteforce_typo_accuracy is None else f" ({result.bruteforce_typo_accuracy:.1%})")
        rows.append(
            f"| {result.name} | {cell(result.phrasings)} | {cell(result.load_ms, 0)} / {cell(result.cached_load_ms, 0)} "
            f"| {cell(result.p50_ms, 3)} / {cell(result.p90_ms, 3)} / {cell(result.p99_ms, 3)} / {cell(result.max_ms, 3)} "
            f"| {cell(result.bruteforce_p50_ms, 3)} / {cell(result.bruteforce_p99_ms, 3)} "
            f"| {ratio(result.bruteforce_p50_ms, result.p50_ms)} / {ratio(result.bruteforce_p99_ms, result.p99_ms)} "
            f"| {accuracy} | {cell(result.rss_mb, 0)} ({cell(result.engine_mb, 1)}) |")
    kinds = [kind for kind, _ in MIX]
    rows += ["", "| p99 ms by input | " + " | ".join(kinds) + " |", "|---|" + "--:|" * len(kinds)]
    for result in packs:
        by_kind = result.extra.get("p99_ms_by_kind", {})
        rows.append(f"| {result.name} | " + " | ".join(cell(by_kind.get(kind), 3) for kind in kinds) + " |")
    for result in results:
        extra = result.extra
        if "sessions" in extra:
            rows += ["", f"{extra['sessions']:,} sessions, {extra['turns']} interleaved turns each: "
                         f"{extra['replies_per_s']:,} replies/s; {extra['bytes_per_session']:,} bytes per session "
                         f"({extra['bytes_per_fresh_session']:,} fresh), {extra['sessions_mb']} MB in all; saved state "
                         f"{extra['state_json_bytes']:,} bytes of JSON"]
    return "\n".join(rows)
