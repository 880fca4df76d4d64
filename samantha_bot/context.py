"""Short context: recognising a follow-up ("why?", "tell me more", "yes") to what she just said."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

# Each follow-up kind and the short ways people say it (normalised forms).
FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "why": ("why", "why is that", "why not", "how come", "why do you say that", "why would you say that",
            "but why", "why so", "how so", "what for", "why is that so", "and why", "why though",
            "why do you think that", "because why", "whyyy"),
    "more": ("tell me more", "what do you mean", "really", "go on", "and", "and then", "like what",
             "such as", "for example", "say more", "explain", "meaning", "what does that mean",
             "in what way", "more", "keep going", "continue", "seriously", "are you serious",
             "oh really", "is that so", "is that true", "what do you mean by that", "how do you mean",
             "tell me about it", "elaborate", "what", "huh", "wait what", "how", "yeah right",
             "tell me more about that", "tell me more about it", "tell me more about this", "more about that",
             "what was it about", "what is it about", "what was that about", "what is that about",
             "then what", "what happened next", "what happened then", "and after that", "what next", "go on then",
             "keep talking", "and", "like how", "how so", "in what sense", "how many", "how much", "how long",
             "since when"),
    "yes": ("yes", "yeah", "yep", "yup", "sure", "of course", "i do", "i am", "i would", "definitely",
            "absolutely", "okay", "alright", "maybe", "i guess so", "i think so", "kind of", "sort of",
            "yes i do", "yes please", "please", "totally", "always", "uh huh", "mhm", "certainly",
            "i have", "it is", "that is right", "right", "exactly", "true"),
    "no": ("no", "nope", "nah", "not really", "i do not", "i am not", "never", "no way", "not at all",
           "i would not", "no thanks", "no thank you", "i have not", "not yet", "i do not think so",
           "not exactly", "it is not", "not much", "no i do not", "no never", "false", "wrong",
           "that was bad", "that was terrible", "that was awful", "not funny", "that was not funny"),
}
ASKED_ONLY = ("yes", "no")  # these continue a card only when she just asked a question

_FORMS = {form: kind for kind, forms in FOLLOWUPS.items() for form in forms}
_CHOICES = sorted(_FORMS)
_FILLER = {"oh", "um", "hmm", "well", "ok", "okay", "so", "but", "samantha", "haha", "lol", "wow", "ah"}
MAX_WORDS = 6  # a longer line is a thing of its own, not a follow-up
# A short question about "it" or "that" asks about what she just said ("does it make you sad?").
_ABOUT_IT = re.compile(r"^(?:(?:and|but|so) )?(?:(?:does|is|was|did|will|would|can|could|do|are|were) (?:it|that|this|they)"
                       r"|(?:what|why|how|where|who) (?:is|was|does|did|do|are|were) (?:it|that|this|they)"
                       r"|what about (?:it|that|this|them))\b")
ABOUT_IT_WORDS = 8


def followup_kind(normalized: str) -> str | None:
    """The follow-up kind of a short input, or None when it says something of its own."""
    words = normalized.split()
    if not words or len(words) > MAX_WORDS:
        return None
    core = " ".join(word for word in words if word not in _FILLER) or " ".join(words)
    if core in _FORMS:
        return _FORMS[core]
    best = process.extractOne(core, _CHOICES, scorer=fuzz.ratio, score_cutoff=88)
    return _FORMS[best[0]] if best else None


# Said to a card that asked whether they are safe, these answer it: "no i am safe, i just meant work".
_REASSURED = re.compile(r"\b(?:i am (?:safe|okay|ok|fine|alright|all right)(?! not)|i am not (?:going|gonna) to (?:do|hurt)"
                        r"|(?:i )?(?:just|only) meant|figure of speech|not literally|i was (?:joking|kidding))\b")


def reassures(normalized: str) -> bool:
    """Whether a line says the person is safe, or that they did not mean it as it sounded."""
    return _REASSURED.search(normalized) is not None


def refers_back(normalized: str) -> bool:
    """Whether a short question asks about "it" or "that": what was just said, most likely."""
    return len(normalized.split()) <= ABOUT_IT_WORDS and _ABOUT_IT.match(normalized) is not None


_LAUGHTER = {"haha", "hehe", "heh", "omg", "xd", "lmfao", "rofl", "jk"}


def without_laughter(normalized: str) -> str:
    """A line without the laughter around it ("do you love me lol" asks about love), unless
    laughter is all it is."""
    words = normalized.split()
    while len(words) > 1 and words[-1] in _LAUGHTER:
        words.pop()
    while len(words) > 1 and words[0] in _LAUGHTER:
        words.pop(0)
    return " ".join(words)
