"""The person's own words turned round (ELIZA's reflection): "my boyfriend made me come here" ->
"your boyfriend made you come here", for a fallback that listens."""
from __future__ import annotations

import re

from .normalize import UR_MEANS_YOU_ARE, is_question, normalize, sentences
from .reading import parts
from .render import printable

MAX_WORDS = 12  # a longer clause is not repeated back: it would read like a parrot

# First person <-> second person, as ELIZA's script swaps them. "you" is "I" as a subject and
# "me" otherwise (_YOU_AS_I below decides); the verbs after a swapped subject follow it.
_SWAPS = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "we're": "you're", "we've": "you've",
    "i'm": "you're", "im": "you're", "i've": "you've", "ive": "you've", "i'll": "you'll", "i'd": "you'd",
    "your": "my", "yours": "mine", "yourself": "myself", "ur": "my", "u": "you",
    "you're": "I'm", "youre": "I'm", "you've": "I've", "youve": "I've", "you'll": "I'll", "you'd": "I'd",
}
_AFTER_I = {"are": "am", "were": "was", "aren't": "am not", "weren't": "wasn't"}
_AFTER_YOU = {"am": "are", "was": "were"}
_YOU_AS_I = {"", "and", "but", "because", "if", "when", "that", "so", "what", "why", "how", "where",
             "do", "did", "can", "could", "would", "will", "are", "were", "have", "since", "though"}
# Words that follow a subject: "you can't", "you never", "you said" ("you" is "I" before them).
_VERBISH = {"can", "can't", "cant", "could", "couldn't", "will", "won't", "would", "wouldn't", "do", "don't", "dont",
            "did", "didn't", "are", "aren't", "were", "weren't", "have", "haven't", "should", "must", "never",
            "always", "just", "really", "seem", "look", "sound", "know", "think", "said", "say", "keep", "make",
            "made", "get", "got", "want", "need", "like", "love", "hate", "only", "still", "even", "also"}
_IMPERATIVE = {"say", "tell", "show", "give", "prove", "make", "write", "sing", "play", "help", "explain",
               "describe", "let", "stop", "go", "come", "talk", "send", "be", "do", "don't", "try", "answer",
               "repeat", "calm", "shut", "leave", "look", "listen", "name", "list", "translate", "find"}
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_FILLER = {"lol", "lmao", "haha", "hahaha", "omg", "ugh", "hmm", "um", "uh", "tbh", "ngl", "idk", "btw"}
_OPENERS = {"so", "well", "and", "but", "oh", "ok", "okay", "wow", "ah", "aw", "yeah", "yea", "hey", "sorry"}


def reflect(clause: str) -> str:
    """A clause as she would say it back: pronouns turned round, the person's other words kept as
    typed; "" when there is nothing worth repeating (too long, too short, or not words)."""
    words = [word for word in printable(clause).split() if _EDGE.sub("", word)]
    while words and _EDGE.sub("", words[0]).lower() in _FILLER | _OPENERS:
        words = words[1:]
    if words and _EDGE.sub("", words[0]).lower() in _IMPERATIVE:
        return ""  # a request is not a thing told: "say something interesting" is not said back
    while words and _EDGE.sub("", words[-1]).lower() in _FILLER:
        words = words[:-1]
    if not 2 <= len(words) <= MAX_WORDS:
        return ""
    out: list[str] = []
    previous = ""
    for position, token in enumerate(words):
        core = _EDGE.sub("", token)
        lower = core.lower().replace("\u2019", "'")
        following = _EDGE.sub("", words[position + 1]).lower() if position + 1 < len(words) else ""
        if lower in ("are", "were") and following in ("you", "u"):
            swapped = "am" if lower == "are" else "was"  # "why are you" -> "why am I"
        elif lower in ("you", "u"):
            swapped = "I" if previous in _YOU_AS_I or position == 0 or following in _VERBISH else "me"
        elif lower == "ur" and following in UR_MEANS_YOU_ARE:
            swapped = "I'm"
        elif previous == "I" and lower in _AFTER_I:
            swapped = _AFTER_I[lower]
        elif previous == "you" and lower in _AFTER_YOU and words[position - 1].lower() in ("i", "i'm"):
            swapped = _AFTER_YOU[lower]
        elif lower in _SWAPS:
            swapped = _SWAPS[lower]
        elif position == 0 and core[:1].isupper() and core[1:].islower():
            swapped = core.lower()  # "My" at the start of their sentence is mid-sentence in hers
        else:
            swapped = core
        out.append(swapped + ("," if token.endswith(",") and position + 1 < len(words) else ""))
        previous = swapped if swapped in ("I", "you") else lower
    text = " ".join(out)
    return text if any(char.isalpha() for char in text) else ""


_ABOUT_HER = re.compile(r"(?:i|i'm|i've|i'll|i'd|my|me)\b", re.IGNORECASE)


def listened(raw: str) -> dict[str, str]:
    """The person's last sentence turned round, as {asked} when it asks and {echo} when it tells;
    empty when it is too long or too short to say back."""
    # The last sentence, when it is short enough to say back; else its last clause.
    pieces = sentences(raw)
    if not pieces:
        return {}
    last = pieces[-1] if len(pieces[-1].split()) <= MAX_WORDS else (parts(pieces[-1]) or [""])[-1]
    turned = reflect(last)
    if not turned:
        return {}
    # It asks if it, or its last clause, does: "ok smart guy, what's the capital of peru".
    asking = any(is_question(piece, normalize(piece)) for piece in [last, *parts(last)[-1:]])
    if not asking and _ABOUT_HER.match(turned):
        return {}  # "you're a scam" said back is "I'm a scam": his words are not hers to say of herself
    return {"asked" if asking else "echo": turned}
