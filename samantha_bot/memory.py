"""What she remembers of the person: facts taken from what they tell her, kept in their words,
and the values her lines name when she gives them back.

Facts are text or lists of text (JSON-safe, shown by /state). People and pets are kept as
"Name (what they are)" in `pets`, `family` and `friend`, and what was said of someone under
"about Name".
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Container, Mapping

from .normalize import STOPWORDS, clean, normalize
from .render import fill, required_slots

if TYPE_CHECKING:
    from .index import Index

MAX_LIST_FACT = 20  # a list fact ("likes") keeps this many, newest last
NAME_WORDS = 3
RECORDS = ("pets", "family", "friend", "people")
RECALL_SLOTS = frozenset({"pet", "pet_kind", "person", "relation", "said"})  # what recall_slots() gives
_RECORD = re.compile(r"^(.*?) \((.+)\)$")
# Words people put around a name that are not the name: "sam too lol", "Theodore here".
_AROUND_NAME = {"too", "haha", "lol", "here", "btw", "though", "thanks", "please", "again", "now",
                "by", "the", "way", "actually", "obviously", "ok", "okay", "lmao", "xx", "x"}
_NOT_NAMES = frozenset("hi hello hey yo hiya howdy ok okay yes yeah no nope sure wow hmm um uh huh what why "
                       "who how haha thanks cool nice great fine good whatever idk sorry back home here "
                       "tired bored sad happy lonely new fine alright single married busy free ready sick "
                       "done lost stuck scared angry upset confused hungry drunk late early awake up down "
                       "gay straight human real serious kidding joking fine well glad sure master daddy mommy "
                       "mistress owner boss king queen god lord baby babe sexy sir madam nobody somebody "
                       "someone anyone everyone test testing from sup kinda sorta gonna wanna every each daily weekly "
                       "nightly often sometimes always never later tomorrow tonight today yesterday".split())
# What people say before a name, and not in it: "hmm, Ted", "oh hi, Priya", "ok so, Sam".
_TALK_BEFORE_NAME = frozenset("hi hello hey yo hiya howdy sup ok okay yes yeah sure well oh so and also anyway "
                              "btw ps lol haha um uh hmm er sorry actually".split())
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "lady"})  # "Dr. Aisha Khan" is Aisha Khan
_INTERJECTION = re.compile(r"(?:h+m+|u+h+m*|u+m+|e+r+m*|a+h+|o+h+|m+|e+h+|h+u+h+|e+|u+|h+e+y+|y+o+)", re.IGNORECASE)
FIRST_PERSON = re.compile(r"i(?:['’](?:m|ve|d|ll))?", re.IGNORECASE)  # "I'm" reads as a name, and is none
# Words in a pattern or example that plainly give a name ("call me {name}"), not only maybe ("i am {name}").
NAMING_CUES = ("name", "call me", "calls me", "go by", "called", "named", "told you", "known", "knows me")
_VERB_ENDINGS = ("ing", "ed", "ly", "ous", "ful", "ive", "less", "able")
# Pets are so often named with an everyday word that after "my dog" these are names, not talk.
PET_NAMES = frozenset(
    "max bella charlie luna lucy cooper bailey daisy sadie molly buddy lola stella tucker bear zoe duke "
    "harley maggie jax bentley milo oliver riley rocky penny jack chloe lily toby sophie coco jake ruby "
    "gracie oscar louie winston ellie pepper biscuit peanut cookie ginger rex shadow smokey tiger simba "
    "nala kitty leo loki mittens oreo muffin honey bean maple olive rosie rosy teddy murphy bruno gus "
    "scout ace hank moose otis finn buster rusty sam sammy lady princess angel misty sunny lucky chance "
    "marley jasper ziggy pickles nugget waffles pumpkin sugar spice salt pip pippin patch socks boots "
    "fluffy snowball snowy blue storm thunder benji bingo rover spot fido pancake noodle dumpling mochi "
    "tofu sushi taco chip cinnamon cocoa mocha java latte whiskey brandy jasmine willow ivy poppy hazel "
    "sage river rain ash jet onyx ember star cosmo apollo zeus thor odin athena freya juno "
    "beau remy romeo diesel tank bubba chewy chewie yoda gizmo bandit rascal trouble midnight".split())


def as_spoken(value: str, raw: str) -> str:
    """A captured value as the person wrote it (their capitals, accents and punctuation), found
    in what they typed word by word; the value itself when it cannot be found there."""
    words = value.split()
    if not words:
        return value
    # Matching reads the text without accents; what is shown is found in it letter by letter.
    plain, typed, start_of = _folded(raw)
    # Matching may have changed a word ("lol" reads "haha", "ok" "okay"): then the longest run of
    # the words that can be found as typed ("Zoë" of "zoe haha", "Milo" of "okay milo").
    runs = (words[start:start + length] for length in range(len(words), 0, -1)
            for start in range(len(words) - length + 1))
    found = next((match for run in runs if (match := re.search(
        r"(?<!\w)" + r"[\W_]*?".join(re.escape(word) for word in run) + r"(?!\w)", plain, re.IGNORECASE))), None)
    if found is None:
        return value
    start, end = start_of[found.start()], start_of[found.end() - 1] + 1
    # Take the typed words whole: "{0}" stays "{0}", not "0}".
    while start > 0 and not typed[start - 1].isspace():
        start -= 1
    while end < len(typed) and not typed[end].isspace():
        end += 1
    return typed[start:end].strip(" .,!?;:\"'")


def _folded(raw: str) -> tuple[str, str, list[int]]:
    """The text as matching reads it (no accents), the text as typed, and for each character of
    the first, where in the second it came from: "Zoë" reads "Zoe", and its "e" is the "ë"."""
    if raw.isascii():
        return raw, raw, list(range(len(raw)))
    typed = unicodedata.normalize("NFC", raw)
    plain, start_of = [], []
    for at, char in enumerate(typed):
        for folded in clean(char) or " ":
            plain.append(folded)
            start_of.append(at)
    return "".join(plain), typed, start_of


_TRAILING = {"honestly", "tbh", "though", "tho", "lol", "lmao", "haha", "really", "too", "anyway", "actually",
             "ngl", "btw", "rn", "xx", "x", "i guess", "i think", "i suppose"}
_PLACE_ENDS = re.compile(r"\s+(?:for|with|and|because|but|since|to|last|next|ago|recently|now|a few|two|three|"
                         r"four|when|where|which|who|after|before|so|on|at)\b.*$", re.IGNORECASE)
_THING_ENDS = re.compile(r"\s+(?:because|but|when|since|so|which|cause|cuz|bc)\b.*$", re.IGNORECASE)


def trim(fact: str, value: str) -> str:
    """A value cut to the thing itself: "Manchester", not "Manchester for a new job"; "cooking",
    not "cooking honestly"."""
    value = (_PLACE_ENDS if fact in ("home", "from") else _THING_ENDS).sub("", value).strip(" ,.;:!?")
    words = value.split()
    while len(words) > 1 and words[-1].lower().strip(".,!?") in _TRAILING:
        words.pop()
    place = " ".join(words)
    return place.title() if fact in ("home", "from") and place.islower() else place  # "glasgow" is Glasgow


def clean_name(value: str, raw: str, vocabulary: Container[str] = frozenset(), plainly: bool = False,
               names: Container[str] = frozenset()) -> str | None:
    """A name as a name ("Rory", not "Rory good to meet you"), or None when it is no name: its
    leading words that read as a name (capitalised, or words the packs never use, or `names`:
    everyday words that are names here, as PET_NAMES after "my dog"), at most three. Given
    `plainly` ("my name is marcus"), a word in lower case is a name whatever its shape."""
    shown = as_spoken(value, raw).split()
    while shown and (normalize(shown[0]) in _TALK_BEFORE_NAME or talk_sound(shown[0])
                     or shown[0].rstrip(".").lower() in _TITLES and len(shown) > 1):
        shown.pop(0)  # "hmm, Ted" is Ted
    name: list[str] = []
    for word in shown[:NAME_WORDS]:
        lowered = normalize(word)
        looks = re.fullmatch(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", word) is not None and not FIRST_PERSON.fullmatch(word)
        if not looks or lowered in STOPWORDS or {lowered, word.lower()} & _NOT_NAMES or lowered in _AROUND_NAME \
                or talk_sound(word):
            break
        # Typed in lower case, a word is a name only if it reads as none of the usual words:
        # not the packs', and not shaped like a verb ("practises", "worked", "running").
        if not word[:1].isupper() and not plainly and lowered not in names and (
                lowered in vocabulary or len(lowered) >= 6 and lowered.endswith(_VERB_ENDINGS)
                or len(lowered) >= 4 and lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))):
            break  # "my dog eats", "my dog barked": talk
        name.append(word)
    if not name:
        return None
    return " ".join(name)  # as typed: "mia" stays mia, Андрей stays Андрей


def gives_name(source: str) -> bool:
    """Whether a pattern or example plainly gives a name: a naming cue outside its {slots}."""
    words = re.sub(r"\{[^}]*\}", "", source)
    return any(cue in words for cue in NAMING_CUES)


def not_a_name(word: str) -> bool:
    """A word typed alone that is talk, not a name: "hello", "tired", "hmm"."""
    return word in _NOT_NAMES or talk_sound(word)


def without_talk_before(normalized: str) -> str:
    """A normalised line without what people say before telling a name: "oh and btw i am lena"
    is "i am lena" (and "by the way" too)."""
    words = normalized.split()
    while words and (words[0] in _TALK_BEFORE_NAME or talk_sound(words[0])):
        words.pop(0)
    text = " ".join(words)
    return text[len("by the way "):] if text.startswith("by the way ") else text


def talk_sound(word: str) -> bool:
    """A sound people type while thinking ("hmm", "uhh", "erm"): never a name."""
    return _INTERJECTION.fullmatch(word.strip(".,!?;:")) is not None


def store(facts: dict[str, Any], remember: Mapping[str, str], slots: Mapping[str, str]) -> list[str]:
    """Keep what a card remembers from its slots; the facts changed, by name."""
    changed = []
    for key, mode in remember.items():
        verb, _, template = mode.partition(" ")
        if not required_slots(key + template) <= slots.keys() or not template and key not in slots:
            continue  # the pattern that matched does not give this fact
        fact = fill(key, slots) if "{" in key else key
        value = fill(template, slots) if template else slots[key]
        if not value or not fact or "{" in fact:
            continue
        if verb == "add":
            kept = [item for item in facts.get(fact, []) if normalize(item) != normalize(value)]
            facts[fact] = (kept + [value])[-MAX_LIST_FACT:]
        else:
            facts[fact] = value
        changed.append(fact)
    # A like is not a dislike: telling one takes the thing off the other list.
    for fact, other in (("likes", "dislikes"), ("dislikes", "likes")):
        if fact in changed and isinstance(facts.get(other), list):
            facts[other] = [item for item in facts[other] if normalize(item) not in map(normalize, facts[fact])]
            if not facts[other]:
                del facts[other]
    return changed


def records(facts: Mapping[str, Any], fact: str) -> list[tuple[str, str]]:
    """(name, what they are) for each person or pet kept under a fact, oldest first."""
    found = []
    for item in facts.get(fact, []) if isinstance(facts.get(fact), list) else []:
        match = _RECORD.match(item)
        found.append((match.group(1), match.group(2)) if match else (item, ""))
    return found


def knows(facts: Mapping[str, Any], name: str) -> bool:
    """Whether a person or pet of that name was told of."""
    wanted = normalize(name)
    return any(normalize(known) == wanted for fact in RECORDS for known, _ in records(facts, fact)) \
        or any(normalize(fact[len("about "):]) == wanted for fact in facts if fact.startswith("about "))


def recall_slots(facts: Mapping[str, Any], normalized: str) -> dict[str, str]:
    """Values for recall lines, about whoever the line names: {pet} and {pet_kind} for the pet
    it names (by name or kind) or the last one told; {person}, {relation} and {said} likewise."""
    words = set(normalized.split())
    values: dict[str, str] = {}
    pets = records(facts, "pets")
    if pets:
        pet = next((p for p in reversed(pets) if normalize(p[0]) in words or set(normalize(p[1]).split()) & words),
                   pets[-1])
        values.update(pet=pet[0], pet_kind=pet[1] or "pet")
    people = records(facts, "family") + records(facts, "friend") + records(facts, "people")
    known = {normalize(name) for name, _ in people}
    people += [(fact[len("about "):], "") for fact in facts if fact.startswith("about ")
               and normalize(fact[len("about "):]) not in known]
    if people:
        named = [p for p in people if normalize(p[0]) in words or set(normalize(p[1]).split()) & words]
        person = named[-1] if named else people[-1]
        values["person"] = person[0]
        if person[1]:
            values["relation"] = person[1]
        said = facts.get(f"about {person[0]}")
        if said:
            values["said"] = said if isinstance(said, str) else " and ".join(said)
    return values


class KnownWords:
    """The packs' words, and any word one slip from one of them ("dide", "hhome"): typed in
    lower case after "my dog" or "I'm", such a word is a slip, not a name."""

    def __init__(self, index: Index):
        self.index = index

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.index.vocabulary or bool(self.index.speller.nearest(word)))
