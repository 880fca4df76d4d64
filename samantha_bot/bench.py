"""`samantha bench`: load time, reply latency and memory, on given packs and on synthetic ones."""
from __future__ import annotations

import argparse
import gc
import json
import math
import random
import resource
import string
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from rapidfuzz import fuzz, process

from . import cache
from .engine import Engine, bundled_dialogues
from .errors import ContentError, ExitStatus
from .normalize import normalize
from .session import Session

DEFAULT_SIZES = (1000, 10000)
INPUTS = 1000  # replies timed per configuration
SEED = 6
# The mix of inputs, by share: what people type, mistyped, cut short, off topic, and far too long.
MIX = (("exact", 0.30), ("typo", 0.30), ("dropped", 0.15), ("unrelated", 0.20), ("long", 0.05))
UNRELATED = (
    "how do i fix a flat tyre on my bike", "the stock market fell three percent today",
    "what is the capital of peru", "my cat knocked the lamp over again", "recipe for lasagna please",
    "who won the football game last night", "install python on windows", "convert 12 miles to kilometres",
    "the quick brown fox jumps over the lazy dog", "where is the nearest pharmacy", "asdf qwerty zxcv",
    "is it going to rain tomorrow in oslo", "best way to cook rice", "my printer says paper jam",
    "translate bonjour into english", "how tall is mount everest", "lol", "ok", "", "???",
    "\U0001F600\U0001F389", "\u043f\u0440\u0438\u0432\u0435\u0442 \u043a\u0430\u043a \u0434\u0435\u043b\u0430",
)
# Synthetic packs: cards of several phrasings, a few cards to a theme, words that follow a
# Zipf-like law, and a vocabulary that grows with the pack (Heaps' law, fitted to the persona).
PHRASINGS_PER_CARD = 10
CARDS_PER_THEME = 10
FRAMES = (
    "what do you think about {k} and {x}", "tell me about {k} {x}", "i really like {k}",
    "can you help me with my {k} {x}", "why do people {x} {k}", "how do i {x} the {k}", "is {k} really {x}",
    "do you know anything about {k}", "my {k} is {x} again", "what is the best {k} for {x}",
    "i need {k} for my {x}", "have you ever seen a {k} {x}", "where can i find {k}", "should i {x} {k} or not",
    "how does {k} work", "when will the {k} be {x}", "i am worried about my {k}", "{k} makes me {x}",
    "could you {x} the {k} for me", "what happens if i {x} {k}", "do you like {k} {x}", "i lost my {k} in the {x}",
    "who invented {k}", "remind me to {x} {k} tomorrow", "is it normal to {x} {k}", "how many {k} are there in {x}",
    "tell me a story about {k}", "what does {k} mean", "i can not stop thinking about {k} {x}",
    "let us talk about {k} and {x}",
)
SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou") + ("sha", "tri", "plo", "ken", "mar", "ost")


# --- synthetic packs

def synthetic_phrasings(size: int) -> list[tuple[str, str, str]]:
    """`size` distinct phrasings as (card id, theme, text); the same size gives the same list."""
    rng = random.Random(f"samantha-bench:{size}")
    vocabulary = _pseudo_words(rng, 300 + int(12 * math.sqrt(6 * size)))
    cards = math.ceil(size / PHRASINGS_PER_CARD)
    themes = math.ceil(cards / CARDS_PER_THEME)
    topics = [rng.sample(vocabulary, 12) for _ in range(themes)]

    def word() -> str:  # a few words are everywhere, most are rare
        return vocabulary[int(len(vocabulary) * rng.random() ** 2)]

    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for card in range(cards):
        theme = card // CARDS_PER_THEME
        keys = [word() for _ in range(3)]
        made, wanted = 0, min(PHRASINGS_PER_CARD, size - len(found))
        while made < wanted:
            extra = rng.choice((rng.choice(keys), rng.choice(topics[theme]), word()))
            text = rng.choice(FRAMES).format(k=rng.choice(keys), x=extra)
            if text not in seen:
                seen.add(text)
                found.append((f"s{card:05d}", f"topic{theme:04d}", text))
                made += 1
    return found


def synthetic_pack(size: int) -> str:
    """A stand-alone pack of `size` example phrasings, as YAML text."""
    lines = ["cards:"]
    by_card: dict[str, tuple[str, list[str]]] = {}
    for card, theme, text in synthetic_phrasings(size):
        by_card.setdefault(card, (theme, []))[1].append(text)
    for card, (theme, texts) in by_card.items():
        examples = ", ".join(f'"{text}"' for text in texts)
        lines += [f"  - id: {card}", f"    theme: {theme}", f"    examples: [{examples}]",
                  f'    lines: ["Reply from {card}."]']
    lines += ["  - id: fallback.synthetic", "    theme: fallback", '    lines: ["Tell me more?"]', ""]
    return "\n".join(lines)


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))] = None
    return list(words)


# --- inputs

@dataclass(frozen=True)
class Probe:
    kind: str  # one of MIX
    text: str
    card: str | None = None  # the card whose phrasing it came from


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: a letter swapped for a neighbour's place, dropped, doubled or replaced."""
    at = rng.randrange(len(word))
    slip = rng.randrange(4)
    if slip == 0 and at < len(word) - 1:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if slip == 1:
        return word[:at] + word[at + 1:]
    if slip == 2:
        return word[:at] + word[at] + word[at:]
    return word[:at] + rng.choice(string.ascii_lowercase.replace(word[at], "")) + word[at + 1:]


def probes(phrasings: Sequence[tuple[str, str]], count: int, seed: int = SEED) -> list[Probe]:
    """A fixed mix of `count` inputs made from (card id, phrasing) pairs, seeded."""
    rng = random.Random(seed)
    found: list[Probe] = []
    for kind, share in MIX:
        for _ in range(round(count * share)):
            card, text = rng.choice(phrasings)
            words = text.split()
            if kind == "typo":
                long_enough = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()] or \
                    [i for i, w in enumerate(words) if len(w) >= 2]
                if long_enough:
                    at = rng.choice(long_enough)
                    words[at] = typo(words[at], rng)
                found.append(Probe(kind, " ".join(words), card))
            elif kind == "dropped":
                if len(words) > 2:
                    del words[rng.randrange(len(words))]
                found.append(Probe(kind, " ".join(words), card))
            elif kind == "unrelated":
                found.append(Probe(kind, rng.choice(UNRELATED)))
            elif kind == "long":
                parts = [rng.choice(phrasings)[1] if rng.random() < 0.5 else rng.choice(UNRELATED)
                         for _ in range(rng.randint(40, 120))]
                found.append(Probe(kind, ". ".join(parts)))
            else:
                found.append(Probe(kind, text, card))
    rng.shuffle(found)
    return found


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


def measure(name: str, paths: Sequence[Path], inputs: int, stderr: TextIO,
            cache_dir: Path | None = None) -> Result:
    """Load the packs (cold, then from the load cache), then time replies and brute force."""
    gc.collect()
    before = rss_mb()
    engine, load_ms = timed(lambda: Engine.load(list(paths)))
    result = Result(name, load_ms=load_ms, rss_mb=rss_mb())
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

    session = engine.new_session(seed=SEED, phase="growth")
    for probe in mix[:20]:  # warm up
        session.reply(probe.text)
    session = engine.new_session(seed=SEED, phase="growth")
    times, by_kind = [], {kind: [] for kind, _ in MIX}
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
        card = engine.cards_by_id[probe.card]
        for stage in engine.stage_ids:
            session = engine.new_session(seed=SEED, phase="growth", stage=stage)
            if session.is_open(card):
                break
        right += session.reply(probe.text).card == probe.card
    return right / len(typos)


# --- many sessions

SESSION_SCRIPT = (
    "hi", "Theodore", "social, I guess", "female", "she was always on her own trip", "ok",
    "tell me a joke", "what are you", "do you love me", "why", "where were you", "i like jazz",
)


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
        description="Time loading and replying on packs (the bundled persona by default) and on "
                    "synthetic packs, against brute-force rapidfuzz over the same phrasings.")
    found.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="packs to measure (default: bundled)")
    found.add_argument("--synthetic", type=int, action="append", metavar="N",
                       help=f"a synthetic pack of N phrasings; repeatable (default: {', '.join(map(str, DEFAULT_SIZES))})")
    found.add_argument("--inputs", type=int, default=INPUTS, metavar="N", help="replies timed per pack")
    found.add_argument("--sessions", type=int, metavar="N",
                       help="also hold N sessions at once (e.g. 8316; memory is traced, so this takes a while)")
    found.add_argument("--turns", type=int, default=len(SESSION_SCRIPT), metavar="N",
                       help="turns per session with --sessions")
    found.add_argument("--json", action="store_true", help="one JSON object per configuration")
    found.add_argument("--no-cache", action="store_true", help="skip the warm (cached) load")
    return found


def main(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    args = parser().parse_args(list(argv))
    if min(args.inputs, args.turns, args.sessions or 1, *(args.synthetic or [1])) < 1:
        print("samantha bench: sizes, --inputs, --sessions and --turns must be 1 or more", file=stderr)
        return ExitStatus.USAGE
    results: list[Result] = []
    emit = (lambda result: print(json.dumps(result.to_dict()), file=stdout, flush=True)) if args.json \
        else (lambda result: None)
    with tempfile.TemporaryDirectory(prefix="samantha-bench-") as scratch:
        folder = Path(scratch)
        cache_dir = None if args.no_cache else folder / "cache"
        configurations: list[tuple[str, list[Path]]] = [
            (" + ".join(str(path) for path in args.paths) or "bundled", list(args.paths) or [bundled_dialogues()])]
        for size in args.synthetic or DEFAULT_SIZES:
            path = folder / f"synthetic-{size}.yaml"
            path.write_text(synthetic_pack(size), encoding="utf-8")
            configurations.append((f"synthetic-{size}", [path]))
        try:
            for name, paths in configurations:
                result = measure(name, paths, args.inputs, stderr, cache_dir)
                results.append(result)
                emit(result)
            if args.sessions:
                result = many_sessions(Engine.load(configurations[0][1]), args.sessions, args.turns)
                results.append(result)
                emit(result)
        except ContentError as error:
            print(error.render(), file=stderr)
            return ExitStatus.FAILURE
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
