"""What `samantha bench` measures with: synthetic and English-like packs, and a fixed, seeded mix of inputs."""
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
    return pack_yaml(synthetic_phrasings(size), "fallback.synthetic")


def pack_yaml(phrasings: Sequence[tuple[str, str, str]], fallback: str) -> str:
    """(card id, theme, text) triples, in card order, as a stand-alone pack with a fallback card."""
    lines = ["cards:"]
    by_card: dict[str, tuple[str, list[str]]] = {}
    for card, theme, text in phrasings:
        by_card.setdefault(card, (theme, []))[1].append(text)
    for card, (theme, texts) in by_card.items():
        examples = ", ".join(f'"{text}"' for text in texts)
        lines += [f"  - id: {card}", f"    theme: {theme}", f"    examples: [{examples}]",
                  f'    lines: ["Reply from {card}."]']
    lines += [f"  - id: {fallback}", "    theme: fallback", '    lines: ["Tell me more?"]', ""]
    return "\n".join(lines)


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))] = None
    return list(words)


# --- English-like packs

# Real content is written in a small, fixed vocabulary: a thousand common words, function words
# included, in phrasings of three to eight words, questions and statements. These lists (999
# words) are embedded so the bench depends on no data file; each content list is ordered by
# frequency (english.txt's order), so drawing along a Zipf-like curve favours the common words.
FUNCTION_WORDS = tuple("""the a an my your her his our their its of to in on at for with about from you i me we
they it she he is are was am be do does did what how why when where who can could would should will
not and or but if that this so very really just every some any all have has there much too again
no than then here""".split())
_PEOPLE = """man guy father girl woman mother family friend son wife boy brother baby dad mom kid husband team
daughter child sister doctor uncle class boss lawyer girlfriend partner boyfriend teacher student cousin
aunt nurse coach grandmother grandma neighbor roommate""".split()
_NOUNS = """back love call talk help work life care name show place home money start hope world run end watch head
mind matter house car idea job room heart face phone police trust second fight chance reason hand word
number business school body point deal blood feeling power sleep answer door side fire sound problem
water order top story light past war line gun moment meeting question game party music fun plan town
trouble food city news country truth office lie book middle report secret dream dog company dinner
picture bed hair cold ship fear offer train future building law government message king test wedding
date present minute pain voice road song respect brain letter movie luck ring hospital key history rock
street support sun risk court record mouth list gold bank peace soul coffee relationship army fish plane
box hotel art field ball marriage birthday wind paper bear age radio bag beginning dress interest gift
boat trip glass prison choice horse sea lunch machine flight judge table bar floor station gas video
service bus card computer energy memory travel cash attention store camera cup experience president rule
smoke price bottom tree spot church apartment race window truck address mistake seat club account skin
stage wine faith rain village spirit wall arm shop client animal chicken cat nose conversation tea sky
vote fault photo oil note shoes science park knife jail paint river parking bird queen corner band leg
beer safety career island neck view health mountain meat accident kitchen storm danger issue camp market
english interview engine football milk ticket plant project weather stone rent restaurant hat joke
breakfast beach silver advice journey pool soldier language contract shirt bill text purpose bone crowd
painting metal prince map mood snow chair clock tour manager speech farm chocolate roof medicine cheese
bread lesson shower joy egg surgery noise audience ocean appointment coat forest cake toilet plate
television talent mail desert baseball flower sugar pig garden guide delivery fruit anger bike pocket
capital princess factory golf friendship neighborhood piano honey candy artist wood package rice orange
border vacation schedule chat grade mirror lake stress pizza bath holiday screen shoulder soup wheel
button airport flag apple bug mask childhood jacket snake salt prize pet attitude diamond product garage
elevator bowl sale sink toy uniform wolf belt juice cow library brush theater butter politics guitar
grass hill habit gym election customer math cable laundry tennis stairs sheep concert yard basement
fence basketball duck corn industry rabbit couch doll skill tire lion soccer battery costume tooth
closet anniversary sandwich museum soap tool knee wallet adventure potato tiger hammer coin steak
passport exam sauce sport necklace salad mouse jewelry homework seed injury chess purse tent album
whiskey salary singer spider blanket banana pillow soda economy drum carpet puppy suitcase medal luggage
resume fox email lamp internet towel bee lawn puzzle cookie bacon lottery drawer menu anxiety dessert
trophy pepper password sweater fork website dentist shelf tomato flu spoon burger discount calendar
porch umbrella insect onion sofa pasta hobby speaker deadline garlic scarf balcony attic toothbrush
driveway kitten queue keyboard printer charger app laptop""".split()
_VERBS = """get like know want think see take tell need make look give say find love keep call talk help feel
believe leave kill hear stop stay thank ask try care show bring wait meet remember hold start open hope
understand guess play run move watch pay mind check wish read forget cut send save change hate listen
eat close speak rest buy walk trust miss break fight lose touch worry sleep answer pull throw catch
drink fire water shoot follow order write beat protect drop learn bet sign drive forgive wonder handle
return finish wear spend plan control explain wake sell clean join marry lead fix book enjoy win teach
ride imagine dance share kiss carry accept smell train hide sing charge grow allow attack count fly test
date steal build visit choose push kick raise agree burn decide record film admit recognize taste dress
feed quit prefer create pack notice travel draw study pray prepare wash avoid invite copy lift apologize
manage cook borrow defend paint practice solve hire deny plant refuse rent post celebrate ignore climb
text replace swim argue divorce lend rob print discover cancel relax design increase coach hug repair
measure photograph brush compare complain improve shave explore reduce update organize fry adopt invent
email bake fold boil download install delete upload""".split()
_ADJECTIVES = """good right little long new kind big old mean great whole real best bad pretty nice open lost wrong hard
sorry happy ready far young afraid close full different important high beautiful free glad small special
clear light true married late stupid alone hot crazy easy fine safe poor clean lucky scared perfect
worried single sick strong sweet early proud deep cold terrible wonderful strange serious short private
dark calm cool public funny stuck difficult busy fast simple worst tired broken weird huge dangerous
local normal favorite fresh rich smart slow interesting fair fat dirty amazing quiet quick careful
honest angry low sad upset famous warm empty heavy closed awful tiny fake dry excited cute bright
foreign nervous brave ugly rough lonely soft weak wet ashamed cheap grateful wide loud hungry expensive
tall popular jealous healthy friendly scary exciting boring sexy thin confused bored embarrassed gentle
rude smooth bitter sore lazy polite nearby sour thirsty annoyed spicy sleepy salty""".split()
_TIMES = """time day night year morning week hour month summer evening spring weekend winter christmas sunday friday
saturday monday tuesday thursday wednesday""".split()
_WHEN = "now soon today tomorrow later tonight".split()
_OFTEN = "always never often sometimes usually rarely".split()
# Slots: {n} a thing, {p} a person, {v} a verb (base form), {a} an adjective, {t} a time ("every
# {t}"), {w} when, {f} how often. Every slot is one word, so a template's length is its phrasing's.
ENGLISH_WORDS = {"n": tuple(_NOUNS), "p": tuple(_PEOPLE), "v": tuple(_VERBS), "a": tuple(_ADJECTIVES),
                 "t": tuple(_TIMES), "w": tuple(_WHEN), "f": tuple(_OFTEN)}
TEMPLATES = (
    "what do you think about the {n}", "do you like my {n}", "can you {v} the {n}", "can you {v} my {n} {w}",
    "how do i {v} the {n}", "why do people {v} {n}", "what is your favorite {n}", "is it {a} to {v} {n}",
    "where is my {n}", "who is her {p}", "what does your {p} think about my {n}", "do you {v} your {n} every {t}",
    "are you {a} {w}", "is the {n} {a}", "would you {v} a {n} with me", "should i {v} the {n} or the {n}",
    "how was your {n} this {t}", "when will the {n} be {a}", "what is the best {n} for my {p}",
    "could you help me {v} the {n}", "why is my {n} so {a}", "do you want to {v} {w}",
    "what can i {v} for my {p}", "is her {n} {a}", "tell me about your {n}", "my {n} is {a}",
    "i {v} my {n} every {t}", "i really {v} the {n}", "my {p} is {a} {w}", "i am {a} about the {n}",
    "the {n} is too {a}", "i want to {v} a {n}", "i need a {a} {n}", "we should {v} the {n} {w}",
    "i do not {v} {n}", "my {p} wants a {a} {n}", "i lost my {n} again", "her {n} is very {a}",
    "the {n} of my {p} is {a}", "i think you are {a}", "i {v} with my {p} every {t}",
    "there is a {n} in my {n}", "i will {v} the {n} {w}", "that {n} was {a}", "i {v} {n}", "you are {a}",
    "{v} the {n} for me", "what is wrong with my {n}", "did you {v} the {n} {w}", "how much is the {n}",
    "i {f} {v} my {n}", "do you {f} {v} {n}", "my {p} {f} says i am {a}", "why do i {f} feel {a}",
)
# The words templates bring ("people", "says") belong to the vocabulary too.
ENGLISH_VOCABULARY = frozenset(FUNCTION_WORDS).union(
    *ENGLISH_WORDS.values(), (word for template in TEMPLATES for word in template.split() if word[0] != "{"))
# A pack's shape: (cards to a theme, fewest and most example phrasings to a card). "one" and
# "ten" are cards of 4 to 16 phrasings (10 on average), one or ten to a theme; "rule" and
# "rule-ten" are cards of one phrasing each, as an AIML or RiveScript set converted rule by rule.
SHAPES = {"one": (1, (4, 16)), "ten": (10, (4, 16)), "rule": (1, (1, 1)), "rule-ten": (10, (1, 1))}
_KEYS = {"n": 2, "p": 1, "v": 2, "a": 1, "t": 1, "w": 1, "f": 1}  # the words a card is about, by slot
_THEME_KEYS = {"n": 4, "p": 2, "v": 2, "a": 2, "t": 1, "w": 1, "f": 1}  # the words its theme shares


def english_phrasings(size: int, shape: str = "ten", seed: int = SEED) -> list[tuple[str, str, str]]:
    """`size` distinct English-like phrasings as (card id, theme, text), cards and themes shaped
    as SHAPES[shape] says; the same size, shape and seed give the same list."""
    rng = random.Random(f"samantha-bench-english:{shape}:{size}:{seed}")
    per_theme, per_card = SHAPES[shape]
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    card, theme_words = 0, {}
    while len(found) < size:
        if card % per_theme == 0:
            theme_words = _draw_keys(rng, _THEME_KEYS)
        wanted = min(rng.randint(*per_card), size - len(found))
        card_words = _draw_keys(rng, _KEYS)
        for text in _english_card(rng, card_words, theme_words, wanted, seen):
            found.append((f"e{card:05d}", f"theme{card // per_theme:05d}", text))
        card += 1
    return found


def english_pack(size: int, shape: str = "ten", seed: int = SEED) -> str:
    """A stand-alone English-like pack of `size` example phrasings, as YAML text."""
    return pack_yaml(english_phrasings(size, shape, seed), "fallback.english")


def _zipf(rng: random.Random, words: Sequence[str]) -> str:
    """A word of a frequency-ordered list: a few are everywhere, most are rare."""
    return words[int(len(words) * rng.random() ** 2)]


def _draw_keys(rng: random.Random, counts: dict[str, int]) -> dict[str, list[str]]:
    """So many words for each slot, drawn along the curve."""
    return {slot: [_zipf(rng, ENGLISH_WORDS[slot]) for _ in range(count)] for slot, count in counts.items()}


def _english_card(rng: random.Random, card: dict[str, list[str]], theme: dict[str, list[str]],
                  wanted: int, seen: set[str]) -> list[str]:
    """`wanted` new phrasings for one card: templates filled mostly with the card's own words,
    sometimes with its theme's, now and then with any word; each is added to `seen`."""
    def fill(slot: str, loose: bool) -> str:
        pick = rng.random()
        if loose or pick >= 0.85:
            return _zipf(rng, ENGLISH_WORDS[slot])
        return rng.choice(card[slot] if pick < 0.6 else theme[slot])

    made: list[str] = []
    tries = 0
    while len(made) < wanted:
        tries += 1
        loose = tries > 20 * wanted  # a card whose words are used up borrows any word
        text = " ".join(fill(word[1], loose) if word.startswith("{") else word
                        for word in rng.choice(TEMPLATES).split())
        if text not in seen:
            seen.add(text)
            made.append(text)
    return made


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
