"""Pure text preparation: what a person types, and what an author writes, made comparable."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_INPUT_CHARS = 2000  # no text, typed or authored, is normalised beyond this
# A long message is read by its opening and its close, where people say what it is about and
# what they ask: a pasted letter ("can you proofread this: ...") or a long day's story that ends
# in a question. Reading a bounded window keeps a megabyte line as fast as a short one.
HEAD_WORDS = 10
TAIL_WORDS = 22
_WORD_CHARS = 24  # characters cut per word wanted, before splitting: enough for long words

# Contractions and their apostrophe-less spellings, expanded so "what's", "whats" and
# "what is" read alike. Possessive 's is dropped ("amy's" -> "amy").
_CONTRACTIONS = {
    "can't": "can not", "cannot": "can not", "won't": "will not", "shan't": "shall not",
    "ain't": "am not", "let's": "let us", "y'all": "you all", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "kinda": "kind of", "sorta": "sort of",
    "dunno": "do not know", "lemme": "let me", "gimme": "give me", "tryna": "trying to",
    "im": "i am", "ive": "i have", "youre": "you are", "youve": "you have", "youll": "you will",
    "youd": "you would", "theyre": "they are", "weve": "we have", "whats": "what is",
    "wheres": "where is", "whos": "who is", "hows": "how is", "thats": "that is",
    "theres": "there is", "heres": "here is", "its": "it is", "dont": "do not",
    "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "cant": "can not", "wont": "will not",
    "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "aint": "am not",
    "whatre": "what are", "howre": "how are",
}
_SUFFIXES = {"n't": " not", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would", "'m": " am"}
_IS_WORDS = {"it", "that", "what", "where", "who", "how", "there", "here", "he", "she", "when", "why", "name"}
_SHORTHAND = {
    "u": "you", "ur": "your", "r": "are", "ya": "you", "yr": "your", "pls": "please",
    "plz": "please", "thx": "thanks", "thnx": "thanks", "ty": "thank you", "tho": "though",
    "cuz": "because", "bc": "because", "coz": "because", "rn": "right now", "idk": "i do not know",
    "ok": "okay", "k": "okay", "msg": "message", "msgs": "messages", "b4": "before",
    "gf": "girlfriend", "bf": "boyfriend", "ppl": "people", "abt": "about", "w": "with",
    "luv": "love", "ily": "i love you", "gn": "good night", "brb": "be right back",
    "lol": "haha", "lmao": "haha", "hahaha": "haha", "ha": "haha", "hah": "haha",
}

_WHOLE_WORDS = {**_SHORTHAND, **_CONTRACTIONS}  # a contraction wins over shorthand of the same spelling
_YOU_ARE = "you are"
UR_MEANS_YOU_ARE = frozenset(  # the words after "ur" that make it "you are" ("ur mine")
    "mine so such a an the not just really very being too kinda gonna going always never "
    "my stupid dumb cute funny boring annoying useless amazing beautiful awesome right wrong "
    "welcome real fake lying joking kidding sweet smart weird crazy nice".split())
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DIGIT_GROUPS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w']+")
_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")  # lower-case words and single spaces: nothing to clean

# Small words that carry little meaning on their own: a captured slot must hold more than these.
STOPWORDS = frozenset(
    "a an the i me my mine you your yours it its is am are was were be been to of and or in on "
    "at for with that this so do does did not no yes just really very too what how why when "
    "who where he she they them we us our his her him there here about some any can will would "
    "all as but if then than".split()
)


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """A message's sentences, as typed: split after . ! ? ; and at line breaks."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def excerpt(text: str) -> str:
    """What is read of a message: all of it up to HEAD_WORDS + TAIL_WORDS words, else its
    first HEAD_WORDS and last TAIL_WORDS words (as typed, with their punctuation)."""
    head_chars, tail_chars = HEAD_WORDS * _WORD_CHARS, TAIL_WORDS * _WORD_CHARS
    if len(text) <= head_chars + tail_chars:
        words = text.split()
        if len(words) <= HEAD_WORDS + TAIL_WORDS:
            return text
        return " ".join(words[:HEAD_WORDS] + ["..."] + words[-TAIL_WORDS:])
    tail = text[-tail_chars:].split()[1:]  # the first word may be cut in two
    return " ".join(text[:head_chars].split()[:HEAD_WORDS] + ["..."] + tail[-TAIL_WORDS:])


_ASCII_CONTROLS = re.compile("[\x00-\x1f\x7f]")


def clean(text: str) -> str:
    """Unicode-normalise, drop control characters and accents, and cap the length."""
    text = text[: MAX_INPUT_CHARS * 2]
    if text.isascii():  # most lines: nothing to normalise but control characters
        return _ASCII_CONTROLS.sub(" ", text[:MAX_INPUT_CHARS])
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text)[:MAX_INPUT_CHARS]


def _expand(word: str) -> str:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, expansion in _SUFFIXES.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + expansion
    if word.endswith("'s"):
        stem = word[:-2]
        return stem + " is" if stem in _IS_WORDS else stem
    return word


@lru_cache(maxsize=4096)  # a reply reads each sentence more than once (danger, facts, the answer)
def normalize(text: str) -> str:
    """Lower case, no punctuation, contractions expanded, single spaces: the form rules match."""
    words_only = text.rstrip(".!?")  # a closing mark goes either way
    if len(words_only) <= MAX_INPUT_CHARS and _PLAIN.fullmatch(words_only) and " ur " not in f" {words_only} ":
        return " ".join([_WHOLE_WORDS.get(word, word) for word in words_only.split()])  # words only already
    if text.isascii():  # control characters are not word characters: _NON_WORD drops them below
        text = text[:MAX_INPUT_CHARS].replace("`", "'")
    else:
        text = clean(text).translate(_QUOTES)
    text = text.casefold()
    text = _DIGIT_GROUPS.sub("", text)  # "8,316" -> "8316"
    words = _NON_WORD.sub(" ", text).split()
    if "'" in text:  # contractions with an apostrophe, and possessives
        words = " ".join(_expand(word) for word in words).replace("'", " ").split()
    # Every expansion yields words that expand no further, so normalize(normalize(x)) == normalize(x).
    if "ur" in words:  # "ur mine" is "you are mine"; "ur name" is "your name"
        words = [_YOU_ARE if word == "ur" and following in UR_MEANS_YOU_ARE else word
                 for word, following in zip(words, words[1:] + [""])]
    return " ".join([_WHOLE_WORDS.get(word, word) for word in words])


@lru_cache(maxsize=1 << 16)  # pure, and asked of every word of every line
def stem(word: str) -> str:
    """A light, predictable stem so 'talking', 'talked' and 'talks' count as one word."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "chatting" -> "chat"
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


_QUESTION_WORDS = frozenset("what why who where when how which".split())
_ASKING_VERBS = frozenset("can could would will do does did are is was were have has should shall may might".split())
_SUBJECTS = frozenset("you i it we they he she there that this".split())


def is_question(raw: str, normalized: str) -> bool:
    """Whether a line reads as a question: a question mark, a leading question word, or a verb
    before its subject."""
    if raw.rstrip().endswith("?"):
        return True
    words = normalized.split(" ", 2)
    if words[0] in _QUESTION_WORDS:  # "whats" reads "what is"
        return True
    # A verb before its subject asks too: "can you help me plan a lesson", "is it weird".
    return len(words) > 1 and words[0] in _ASKING_VERBS and words[1] in _SUBJECTS
