"""Why a card did not answer a line: the gate that closed it, or the score it fell short with."""
from __future__ import annotations

from .errors import did_you_mean
from .matcher import THRESHOLD, rank
from .normalize import excerpt, normalize
from .session import Session, closed_by


def why_not(before: Session, text: str, card_id: str) -> str:
    """Explain, from the session as it was before `text`, why `card_id` did not answer it."""
    engine = before.engine
    card = engine.cards_by_id.get(card_id)
    if card is None:
        hint = did_you_mean(card_id, engine.cards_by_id)
        return f"there is no card '{card_id}'" + (f"; {hint}" if hint else "")
    if before.phase == "setup":
        return "during setup only the setup questions answer; cards wait for growth"
    closed = closed_by(engine, card, before.phase, before.stage, frozenset(before.facts))
    if closed:
        return closed
    normalized = normalize(excerpt(text))  # read as the reply read it
    followup = before.followup_to(normalized)
    if followup:
        return f"the line was read as a follow-up ({followup[1]}) to card {followup[0].id}, which spoke last"
    if card.is_fallback:
        return "fallback cards answer only when nothing scores above the threshold"
    ranked = rank(engine.index, normalized, before.is_open, before.recent_theme())
    found = next((c for c in ranked if c.card.id == card_id), None)
    winner = ranked[0] if ranked else None
    if found is None:
        return "it shares no words with the line, and none of its patterns match it"
    words = f"it scored {found.score:.1f}" + (f" (nearest example {found.example!r})" if found.example else "")
    if winner and winner.card.id != card_id:
        return f"{words}; {winner.card.id} scored {winner.score:.1f} and answered"
    if found.score < THRESHOLD:
        return f"{words}, under the threshold of {THRESHOLD:.0f}, so the fallback answered"
    return f"{words} and it would answer this line now"
