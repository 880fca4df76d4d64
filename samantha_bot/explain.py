"""Why a card did not answer a line: the gate that closed it, what outranked it, or the evidence
it lacked (only frame words, most of the line about something else, a counter-example, a guess)."""
from __future__ import annotations

from .answers import hear
from .errors import did_you_mean
from .matcher import THRESHOLD, evidence_gap, rank
from .normalize import excerpt, normalize
from .gates import closed_by
from .session import Session


def why_not(before: Session, text: str, card_id: str) -> str:
    """Explain, from the session as it was before `text`, why `card_id` did not answer it."""
    engine = before.engine
    steps = {f"setup.{step.id}": position for position, step in enumerate(engine.setup)}
    if card_id in steps:
        return _why_not_step(before, text, steps[card_id])
    card = engine.cards_by_id.get(card_id)
    if card is None:
        hint = did_you_mean(card_id, [*engine.cards_by_id, *steps])
        return f"there is no card '{card_id}'" + (f"; {hint}" if hint else "")
    raw = excerpt(text)
    normalized = normalize(raw)  # read as the reply read it
    urgent = before._urgent(raw, normalized, text)
    if urgent is not None and urgent.card.id != card_id:
        return f"the line read as danger: urgent card {urgent.card.id} answered before any other"
    if urgent is None and before.held is not None:
        return f"the conversation was staying with card {before.held[0]} for {before.held[1]} more turn(s)"
    if before.phase == "setup":
        return "during setup only the setup questions (and urgent cards) answer; cards wait for growth"
    closed = closed_by(engine.stage_order, card, before.phase, before.stage, frozenset(before.facts))
    if closed:
        return closed
    followup = before.followup_to(normalized)
    if followup:
        return f"the line was read as a follow-up ({followup[1]}) to card {followup[0].id}, which spoke last"
    if card.is_fallback:
        return "fallback cards answer only when no card is about the line"
    reading = before.read(raw)
    if card.remember:
        if any(told.card.id == card_id for told in reading.told):
            return "it took what the line told; the rest of the line was answered by another card"
        return "no sentence or clause of the line is one of its patterns (with values it keeps)"
    open_now = engine.open_cards(before.phase, before.stage, frozenset(before.facts))
    verdict, _, asked = before._judge(before.targets(raw, reading), open_now)
    read_as = "" if asked == normalized else f" (of the line it read {asked!r})"
    analysis = engine.index.analyse(asked)
    ranked = rank(engine.index, asked, before.is_open, before.recent_theme(), analysis=analysis)
    found = next((c for c in ranked if c.card.id == card_id), None)
    if found is None:
        return f"it shares no words with the line{read_as}, and none of its patterns match it"
    words = f"it scored {found.score:.1f}{read_as}" + (f" (nearest example {found.example!r})" if found.example else "")
    gap = evidence_gap(engine.index, analysis, found)
    if gap and found.score >= THRESHOLD:
        return f"{words}, but it was refused: {gap}"
    winner = verdict.chosen
    if winner and winner.card.id != card_id:
        return f"{words}; {winner.card.id} scored {winner.score:.1f} and answered"
    refusal = next((why for candidate, why in verdict.refused if candidate.card.id == card_id), None)
    if refusal:
        return f"{words}, but it was refused: {refusal}"
    if found.score < THRESHOLD:
        return f"{words}, under the threshold of {THRESHOLD:.0f}, so the fallback answered"
    return f"{words} and it would answer this line now"


def _why_not_step(before: Session, text: str, position: int) -> str:
    """Why a setup question did not speak: setup was over, another was asked, or how the line read."""
    engine = before.engine
    step_id = f"setup.{engine.setup[position].id}"
    if before.phase != "setup":
        return f"{step_id} is a setup question, and setup was over: the session was in {before.phase}"
    asking = f"setup.{engine.setup[before.step].id}"
    outcome, ahead = hear(engine.readers, before.step, excerpt(text))
    if position in ahead:
        return f"the line answered {step_id} ahead ({ahead[position].how}), so she went on to a question still open"
    read = outcome.how or "it answered other questions, not this one"
    if position == before.step:
        return f"{step_id} was the question being asked; the line read: {read}"
    return f"the session was asking {asking}, not {step_id} (a setup question speaks when it is asked or " \
           f"answered); the line read: {read}"
