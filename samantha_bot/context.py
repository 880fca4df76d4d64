"""Short context: recognising a follow-up ("why?", "tell me more", "yes") to what she just said."""
from __future__ import annotations

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
             "tell me about it", "elaborate", "what", "huh", "wait what", "how", "yeah right"),
    "yes": ("yes", "yeah", "yep", "yup", "sure", "of course", "i do", "i am", "i would", "definitely",
            "absolutely", "okay", "alright", "maybe", "i guess so", "i think so", "kind of", "sort of",
            "yes i do", "yes please", "please", "totally", "always", "uh huh", "mhm", "certainly",
            "i have", "it is", "that is right", "right", "exactly", "true"),
    "no": ("no", "nope", "nah", "not really", "i do not", "i am not", "never", "no way", "not at all",
           "i would not", "no thanks", "no thank you", "i have not", "not yet", "i do not think so",
           "not exactly", "it is not", "not much", "no i do not", "no never", "false", "wrong"),
}
ASKED_ONLY = ("yes", "no")  # these continue a card only when she just asked a question

_FORMS = {form: kind for kind, forms in FOLLOWUPS.items() for form in forms}
_CHOICES = sorted(_FORMS)
_FILLER = {"oh", "um", "hmm", "well", "ok", "okay", "so", "but", "samantha", "haha", "wow", "ah"}
MAX_WORDS = 6  # a longer line is a thing of its own, not a follow-up


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
