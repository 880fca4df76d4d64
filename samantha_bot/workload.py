"""What `samantha bench` measures with: synthetic packs of any size, and a fixed, seeded mix of inputs."""
from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from typing import Sequence

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


# --- many sessions

SESSION_SCRIPT = (
    "hi", "Theodore", "social, I guess", "female", "she was always on her own trip", "ok",
    "tell me a joke", "what are you", "do you love me", "why", "where were you", "i like jazz",
)
