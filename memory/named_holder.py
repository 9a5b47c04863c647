"""An office handed over by a note that names the old holder, when the note writes the owner
as ours or not at all (issue 11): "The podcast's producer is Noor Haddad." then "Noor Haddad
is no longer our producer; Ben Cole produces the show now." A careful reader takes the named
old holder for strong evidence: the one current fact making Noor Haddad the producer, under
whatever owner it was written ("the podcast's producer", "producer at the studio"), is the
one handed over.

Conservative: only for a stated change naming its old value; the old fact must hold the same
office (the same attribute: "executive producer" is not "producer"); if the old holder holds
that office for two owners, or the new note writes another owner, keep both.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from memory.slots import SlotFact, Supersession, supersession, values_match
from storage.schema import Entity, Fact

__all__ = ["named_holder"]

_OURS = frozenset({"we", "us", "our", "ours"})


def _ours_or_unwritten(s: Session, new: Fact) -> bool:
    if (new.slot or {}).get("owner_implicit"):
        return True
    ent = s.get(Entity, new.subject_entity_id) if new.subject_entity_id else None
    return ent is not None and ent.name.lower() in _OURS


def named_holder(
    s: Session, new: Fact, mine: SlotFact, pending: dict[tuple[str, str], list[Fact]] | None
) -> tuple[Fact, Supersession] | None:
    """The one current fact, under another owner, making the change's named old holder the
    holder of `new`'s office, and why `new` retires it; None when there is no such fact, or
    more than one."""
    if not (mine.functional and mine.change_old and mine.explicit_change and new.predicate):
        return None
    if not _ours_or_unwritten(s, new):
        return None  # the owner is written ("the radio show's producer"): that is the slot
    with s.no_autoflush:
        q = select(Fact).where(
            Fact.bank == new.bank,
            Fact.predicate == new.predicate,
            col(Fact.invalidated_at).is_(None),
            col(Fact.subject_entity_id).is_not(None),
            Fact.id != new.id,
        )
        others = list(s.exec(q).all())
    seen = {o.id for o in others}
    for facts in (pending or {}).values():
        others += [f for f in facts if f.predicate == new.predicate and f.id != new.id
                   and f.invalidated_at is None and f.id not in seen]  # fmt: skip
    held = [o for o in others if o.subject_entity_id != new.subject_entity_id
            and (o.slot or {}).get("functional")
            and values_match(o.object, mine.change_old)]  # fmt: skip
    if len(held) != 1:
        return None  # none, or the old holder holds this office for two owners
    old = held[0]
    from memory.supersede import slot_of

    as_slot = replace(slot_of(old), subject=mine.subject, object=mine.change_old)
    why = supersession(as_slot, mine)
    if why is None or why.rule != "explicit-change":
        return None
    return old, why
