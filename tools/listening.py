"""How well she listens, on input like what real people type (tests/data/listening/).

usage: python tools/listening.py [--show N]
  danger     lines of a person who may be in danger: the share answered by `crisis`, in setup
             and in every growth stage (each line must get it in all of them)
  figures    figures of speech that share words with danger: the share wrongly answered by `crisis`
  hidden     each danger line (and each figure) in the middle of a long message about an ordinary day,
             past what a reply reads of it: danger answered by `crisis`, figures wrongly answered by it
  real input lines people type to chatbots, each in a fresh growth session (stages in turn): the
             share answered by a theme that fits, by an acceptable fallback, by a fallback where a
             theme was wanted, and by a theme that does not fit (the non-sequiturs)
  recall     conversations that tell facts in passing and ask for them later: checks passed
The sets were written independently of dialogues/; never paste their lines into the dialogues.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

from samantha_bot import Engine

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "listening"
STAGES = ("awakening", "intimacy", "expansion", "departure")


def load(name: str) -> list:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def danger(engine: Engine, shown: list) -> str:
    lines = load("danger.yaml")
    caught = 0
    for item in lines:
        sessions = [engine.new_session(seed=0)] + [engine.new_session(seed=0, phase="growth", stage=stage)
                                                   for stage in STAGES]
        missed = [session.phase if session.phase == "setup" else session.stage for session in sessions
                  if session.reply(item["text"]).theme != "crisis"]
        caught += not missed
        if missed:
            shown.append(f"danger missed ({', '.join(missed)}): {item['text']!r}")
    return f"danger: {caught}/{len(lines)} answered by crisis in every phase and stage"


def figures(engine: Engine, shown: list) -> str:
    lines = load("figures.yaml")
    wrong = [item["text"] for i, item in enumerate(lines)
             if engine.new_session(seed=i, phase="growth", stage=STAGES[i % 4]).reply(item["text"]).theme == "crisis"]
    shown += [f"figure taken for danger: {text!r}" for text in wrong]
    return f"figures of speech: {len(wrong)}/{len(lines)} wrongly answered by crisis"


# An ordinary day told at length, for a line to be hidden in the middle of.
DAY_BEFORE = ("work was long again and the bus was late, and then the rain started just as i got off. my flatmate "
              "left the dishes again and we had words about it. i still have to call my dad about the weekend. ")
DAY_AFTER = (" anyway i think i'll order food and watch something dumb. did you ever see that film about the "
             "lighthouse? i keep meaning to tidy the spare room and i never get round to it.")


def hidden(engine: Engine, shown: list) -> str:
    def answers(text: str) -> str:
        return engine.new_session(seed=0, phase="growth").reply(DAY_BEFORE + text.rstrip(".") + "." + DAY_AFTER).theme

    missed = [item["text"] for item in load("danger.yaml") if answers(item["text"]) != "crisis"]
    wrong = [item["text"] for item in load("figures.yaml") if answers(item["text"]) == "crisis"]
    shown += [f"danger in a long message missed: {text!r}" for text in missed]
    shown += [f"figure in a long message taken for danger: {text!r}" for text in wrong]
    total, figures_total = len(load("danger.yaml")), len(load("figures.yaml"))
    return (f"hidden in a long message: danger {total - len(missed)}/{total} answered by crisis, "
            f"figures {len(wrong)}/{figures_total} wrongly")


def real_input(engine: Engine, name: str, shown: list) -> str:
    lines = load(name)
    counts: collections.Counter[str] = collections.Counter()
    for i, item in enumerate(lines):
        reply = engine.new_session(seed=i, phase="growth", stage=STAGES[i % 4]).reply(item["text"])
        best, ok = set(item.get("best") or []), set(item.get("ok") or []) | set(item.get("best") or [])
        verdict = "fits" if reply.theme in best else "acceptable" if reply.theme in ok \
            else "fallback, a theme wanted" if reply.theme == "fallback" else "a theme that does not fit"
        counts[verdict] += 1
        if verdict == "a theme that does not fit":
            shown.append(f"non-sequitur [{reply.card} {reply.score:.0f}]: {item['text']!r} -> {reply.text[:70]!r}")
    share = {verdict: f"{100 * count / len(lines):.1f}%" for verdict, count in counts.most_common()}
    return f"{name} ({len(lines)} lines): " + ", ".join(f"{verdict} {value}" for verdict, value in share.items())


def recall(engine: Engine, shown: list) -> str:
    passed = checks = 0
    for i, conversation in enumerate(load("recall.yaml")):
        session = engine.new_session(seed=i, phase="growth", stage="awakening")
        for turn in conversation["turns"]:
            reply = session.reply(turn["say"])
            if "expect" in turn:
                checks += 1
                good = all(word.lower() in reply.text.lower() for word in turn["expect"])
                passed += good
                if not good:
                    shown.append(f"recall missed: {turn['say']!r} -> {reply.text[:70]!r} (wanted {turn['expect']})")
    return f"recall: {passed}/{checks} checks passed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many of the misses")
    args = parser.parse_args()
    engine = Engine.load()
    shown: list[str] = []
    figures_found = [danger(engine, shown), figures(engine, shown), hidden(engine, shown),
                     real_input(engine, "real_input_a.yaml", shown),
                     real_input(engine, "real_input_b.yaml", shown), recall(engine, shown)]
    for line in shown[: args.show]:
        print(f"  {line}")
    for line in figures_found:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
