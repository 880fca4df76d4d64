"""Theme accuracy of the bundled persona on probe files (dev and held-out), with the misses.

usage: python tools/accuracy.py [PROBES.yaml ...] [--misses]
Defaults to ../shared/probes/dev.yaml (when present) and tests/data/heldout.yaml.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

from samantha_bot import Engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = [ROOT.parent / "shared" / "probes" / "dev.yaml", ROOT / "tests" / "data" / "heldout.yaml"]


def accuracy(engine: Engine, probes: list[dict], misses: list | None = None) -> float:
    """The share of probes whose reply has the probe's theme, each from a fresh growth session."""
    good = 0
    for probe in probes:
        session = engine.new_session(seed=0, phase="growth", stage=probe.get("stage"))
        reply = session.reply(probe["text"])
        good += reply.theme == probe["theme"]
        if misses is not None and reply.theme != probe["theme"]:
            misses.append((probe["theme"], reply.theme, reply.score, probe["text"]))
    return 100.0 * good / len(probes)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("probes", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    engine = Engine.load()
    for path in args.probes or [p for p in DEFAULTS if p.exists()]:
        misses: list = []
        probes = yaml.safe_load(path.read_text(encoding="utf-8"))
        figure = accuracy(engine, probes, misses)
        if args.misses:
            per = collections.Counter(want for want, *_ in misses)
            for want, got, score, text in misses:
                print(f"  want {want:18} got {got:18} {score:5.1f}  {text!r}")
            print("  misses by theme:", dict(per.most_common()))
        print(f"{path.name}: {figure:.1f}% of {len(probes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
