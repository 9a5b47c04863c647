"""Supersession as stored: which current facts a new fact retires, with the reason on the
old row (`facts.supersession`), and what extraction read about each fact's slot (`facts.slot`).

The decisions are `memory.slots`' (pure); this module finds the candidates in SQL (the same
subject's current facts, facts that name an explicit change's old value) and writes the
outcome. The ambiguous band is listed here for an LLM to answer (`memory.supersede_llm`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from memory.models import ExtractedFact
from memory.named_holder import named_holder
from memory.resolve_store import EntityResolver
from memory.slot_meaning import attribute_phrase, best_by_meaning
from memory.slots import (
    CLOCK_TIME,
    SlotFact,
    Supersession,
    ambiguous_change,
    normalise_predicate,
    supersession,
    switch_without_old,
    values_match,
)
from memory.text import normalise_text
from storage.schema import Alias, Entity, Fact, FactEntity

__all__ = [
    "SlotKey",
    "normalise_slot",
    "slot_info",
    "slot_of",
    "current_facts",
    "supersede",
    "naming_old_value",
    "ambiguous_pairs",
]


def normalise_slot(predicate: str | None) -> str | None:
    if not predicate:
        return None
    return normalise_predicate(predicate) or None


def slot_info(xf: ExtractedFact, targets: list[str]) -> dict[str, Any] | None:
    """What extraction read about the slot, stored with the fact (None: nothing to say)."""
    if not (xf.functional or xf.change or targets):
        return None
    info: dict[str, Any] = {"functional": xf.functional, "cues": list(xf.cues)}
    if xf.change is not None:
        info["change"] = {"old": xf.change.old, "new": xf.change.new, "cues": list(xf.change.cues)}
        if xf.change.where:
            info["change"]["where"] = xf.change.where
    if targets:
        info["targets"] = targets
    if xf.owner_implicit:
        info["owner_implicit"] = True
    return info


def slot_of(f: Fact) -> SlotFact:
    info = f.slot or {}
    change = info.get("change") or {}
    cues = tuple(change.get("cues") or ()) + tuple(info.get("cues") or ())
    return SlotFact(
        f.subject_entity_id or "", f.predicate or "", f.object, f.mentioned_at, f.occurred_start,
        f.occurred_end, functional=bool(info.get("functional")), change_old=change.get("old"),
        targets=tuple(info.get("targets") or ()), cues=tuple(dict.fromkeys(cues)),
        explicit_change=bool(change),
    )  # fmt: skip


def _effective(f: Fact) -> datetime:
    return f.occurred_start or f.mentioned_at


SlotKey = tuple[str, str]  # bank, subject entity id


def current_facts(
    s: Session, bank: str, subjects: list[str], exclude: str, predicate: str | None = None
) -> list[Fact]:
    """Current facts of these subjects, of one predicate when given (the (bank, subject,
    predicate) index)."""
    q = select(Fact).where(
        Fact.bank == bank,
        col(Fact.subject_entity_id).in_(subjects),
        col(Fact.invalidated_at).is_(None),
        Fact.id != exclude,
    )
    if predicate is not None:
        q = q.where(Fact.predicate == predicate)
    return list(s.exec(q).all())


def _current_and_pending(
    s: Session,
    new: Fact,
    subjects: Sequence[str],
    pending: dict[SlotKey, list[Fact]] | None,
    predicate: str | None = None,
) -> list[Fact]:
    """Current facts of these subjects other than `new` (of one predicate when given), read
    without flushing the session, plus the batch's unflushed ones (`pending`) still current."""
    with s.no_autoflush:
        olds = current_facts(s, new.bank, list(subjects), new.id, predicate)
    have = {o.id for o in olds} | {new.id}
    for sub in subjects:
        olds += [f for f in (pending or {}).get((new.bank, sub), ())
                 if f.id not in have and f.invalidated_at is None
                 and (predicate is None or f.predicate == predicate)]  # fmt: skip
    return olds


_WE_WORDS = frozenset({"we", "our", "us", "ours"})


def _names_subject(text: str, subjects: list[str]) -> bool:
    words = set(normalise_text(text).split())
    for sub in subjects:
        want = set(normalise_text(sub).split()) - {"the", "a", "an"}
        if sub == "we" and words & _WE_WORDS or want and want <= words:
            return True
    return False


def supersede(
    s: Session,
    new: Fact,
    pending: dict[SlotKey, list[Fact]] | None = None,
    named: Sequence[Fact] = (),
    agreed: dict[str, str] | None = None,
    embed: Callable[[list[str]], list[list[float]]] | None = None,
) -> list[Fact]:
    """Retire the current facts that `new` replaces (`memory.slots.supersession` decides and
    says why; the reason is stored on the old fact). The old fact stays as history; a fact that
    arrives late but happened earlier is itself recorded as already superseded. Returns the
    facts retired.

    With `pending` (the facts of the same unflushed batch, by subject; `new` is added), the
    lookup does not flush the session: a flush per fact cost more than the lookup. `named`:
    facts that name the old value of `new`'s explicit change and its subject without having
    been read as a slot; they are taken as that slot holding that value. `agreed`: {old fact
    id: reason} the LLM answered for the ambiguous band (`Retainer._judge`). `embed`: the
    Memory's embedder, for a stated change with no current fact in its exact slot
    (`memory.slot_meaning`).
    """
    if not new.subject_entity_id or not new.predicate:
        return []
    mine = slot_of(new)
    where = ((new.slot or {}).get("change") or {}).get("where")
    named = [f for f in named if not where or _names_subject(f.text, [where])]
    retired = _retire_named(s, new, mine, named)
    retired += _retire_unowned(s, new, mine, pending)
    if not retired and (held := named_holder(s, new, mine, pending)) is not None:
        # "Noor Haddad is no longer our producer": the named old holder's one office of
        # that name, under whatever owner it was written (`memory.named_holder`)
        reason = "the old holder is named; their only current holding of this office"
        retired.append(_retire(s, held[0], new, held[1], reason, slot=new))
    if pending is not None:
        pending.setdefault((new.bank, new.subject_entity_id), []).append(new)
    if not (mine.functional or mine.change_old or mine.explicit_change):
        return retired  # a multi-valued relation read without a change retires nothing
    olds = _candidates(s, new, mine, pending)
    if where:  # a change stated for one place concerns the facts that name it
        olds = [o for o in olds if _names_subject(o.text, [where])]
    same_slot = [o for o in olds if (o.subject_entity_id, o.predicate) == (new.subject_entity_id, new.predicate)]  # fmt: skip
    if not same_slot and not retired and (moved := _time_moved(s, new, mine, pending)):
        return [moved]
    if not same_slot and not retired and embed is not None:
        by_meaning = _by_meaning(s, new, mine, pending, embed)
        if by_meaning is not None:
            return [by_meaning]
    if len(same_slot) == 1 and not retired:
        old = same_slot[0]
        switch = switch_without_old(slot_of(old), mine, old.text, new.text)
        if switch is not None:
            return [_retire(s, old, new, switch)]
    for old in olds:
        if old.invalidated_at is not None:  # retired earlier in this loop
            continue
        why = supersession(slot_of(old), mine)
        if why is None and old.id in (agreed or {}):
            why = Supersession("llm", mine.cues, "", old.object, new.object)
        if why is not None:
            retired.append(_retire(s, old, new, why, (agreed or {}).get(old.id, "")))
        elif new.invalidated_at is None and (late := supersession(mine, slot_of(old))) is not None:
            _retire(s, new, old, late)  # `new` arrived late: it is history already
    return retired


def _time_slot(predicate: str | None) -> bool:
    """An attribute whose value is a time: "due", "when", "when depart", "when open"."""
    return predicate in ("due", "when") or (predicate or "").startswith(("when ", "when_"))


def _time_moved(
    s: Session, new: Fact, mine: SlotFact, pending: dict[SlotKey, list[Fact]] | None
) -> Fact | None:
    """ "Flight 212 departs at 6:45 am." then "Flight 212 was moved to 9:10 am.": a time moved
    by a change verb names no attribute of its own ("due"/"when"); it moves the subject's one
    current time of the same kind (a clock time, or a date). Two such times (departs and
    arrives) or none: keep both."""
    if not (mine.explicit_change and mine.functional and new.object) or new.predicate not in (
        "due",
        "when",
    ):
        return None
    olds = _current_and_pending(s, new, [new.subject_entity_id or ""], pending)
    clock = CLOCK_TIME.search(new.object) is not None
    times = [o for o in olds if _time_slot(o.predicate) and slot_of(o).functional and o.object
             and (CLOCK_TIME.search(o.object) is not None) == clock]  # fmt: skip
    if len(times) != 1:
        return None
    old = times[0]
    as_slot = replace(slot_of(old), predicate=new.predicate)
    why = supersession(as_slot, mine)
    if why is None:
        return None
    return _retire(s, old, new, replace(why, rule="time-moved"))


def _by_meaning(
    s: Session,
    new: Fact,
    mine: SlotFact,
    pending: dict[SlotKey, list[Fact]] | None,
    embed: Callable[[list[str]], list[list[float]]],
) -> Fact | None:
    """A stated change of a single-valued attribute with no current fact in its exact slot:
    the subject's (or the owner's written at the head of the subject: "the pool opening time")
    one current single-valued fact of the same attribute by meaning (`memory.slot_meaning`)."""
    if not (mine.functional and (mine.explicit_change or mine.change_old) and new.object):
        return None
    subject = new.subject_entity_id or ""
    ent = s.get(Entity, subject)
    name = ent.name if ent is not None else ""
    owners = {subject: ""} | _owners_at_head(s, new.bank, name, subject)
    olds = _current_and_pending(s, new, sorted(owners), pending)
    olds = [o for o in olds if o.object and o.predicate and slot_of(o).functional
            and not values_match(o.object, new.object)]  # fmt: skip
    if not olds:
        return None
    mine_attr = {
        sub: attribute_phrase(new.predicate or "", name, owner) for sub, owner in owners.items()
    }
    pairs = [(attribute_phrase(o.predicate or ""), o.object or "") for o in olds]
    found = None
    for sub in owners:  # the owner's attribute phrase differs: one match overall is needed
        idx = [i for i, o in enumerate(olds) if o.subject_entity_id == sub]
        hit = best_by_meaning(mine_attr[sub], new.object, [pairs[i] for i in idx], embed)
        if hit is not None:
            if found is not None:
                return None
            found = (olds[idx[hit[0]]], hit[1], mine_attr[sub])
    if found is None:
        return None
    old, sim, attr = found
    why = supersession(replace(slot_of(old), subject=subject, predicate=new.predicate or ""), mine)
    if why is None:
        return None
    why = replace(why, rule="same-attribute-by-meaning", similarity=sim, attribute=attr)
    return _retire(s, old, new, why, "the same attribute in other words")


def _owners_at_head(s: Session, bank: str, name: str, subject: str) -> dict[str, str]:
    """{entity id: its name} of the entities named by the leading words of a subject of
    two or more words ("pool opening time" -> the pool): a subject written as owner plus
    attribute."""
    from memory.resolve import normalise_name

    words = name.split()
    if len(words) < 2:
        return {}
    heads = {normalise_name(" ".join(words[:k])): " ".join(words[:k]) for k in range(1, len(words))}
    with s.no_autoflush:
        rows = s.exec(
            select(Alias.entity_id, Alias.normalised).where(
                Alias.bank == bank, col(Alias.normalised).in_(sorted(heads))
            )
        ).all()
    return {eid: heads[norm] for eid, norm in rows if eid != subject}


def _candidates(
    s: Session, new: Fact, mine: SlotFact, pending: dict[SlotKey, list[Fact]] | None
) -> list[Fact]:
    """Current facts `new` may retire: an explicit change naming its old value may concern its
    object too, in any attribute; otherwise only the same slot (one probe of the (bank,
    subject, predicate) index). With `pending`, the batch's unflushed facts too."""
    subject = new.subject_entity_id or ""
    subjects = sorted({subject, *mine.targets}) if mine.change_old else [subject]
    predicate = None if mine.change_old else new.predicate
    olds = _current_and_pending(s, new, subjects, pending, predicate)
    return [o for o in olds if o.invalidated_at is None]  # retired earlier in this batch


def _retire(
    s: Session, old: Fact, by: Fact, why: Supersession, reason: str = "", slot: Fact | None = None
) -> Fact:
    """Mark `old` retired by `by`, with the reason: rule, cues, slot (that of `slot`, else of
    `old`) and what replaced it."""
    # a change told after the old fact but dated before it retires it from when it was told
    old.invalidated_at = by.mentioned_at if why.learned_later else _effective(by)
    old.superseded_by = by.id
    name = _slot_name(s, slot or old)
    old.supersession = {**why.to_dict(), "slot": name, "by": by.id, "by_text": by.text}
    if reason:
        old.supersession["reason"] = reason
    s.add(old)
    return old


def _retire_named(s: Session, new: Fact, mine: SlotFact, named: Sequence[Fact]) -> list[Fact]:
    out = []
    for old in named:
        if old.invalidated_at is not None or old.id == new.id:
            continue
        own = slot_of(old)
        if (
            own.functional
            and own.subject
            and own.subject != new.subject_entity_id
            and not ((new.slot or {}).get("owner_implicit"))
            and not ((old.slot or {}).get("owner_implicit"))
        ):
            # "The museum's director is Lars." is not the library's director; "The head
            # teacher at Oakfield is Mrs Pereira." (its owner unread) names the new subject
            continue
        as_slot = replace(own, subject=new.subject_entity_id or "", object=mine.change_old)
        why = supersession(as_slot, mine)
        if why is not None and why.rule == "explicit-change":
            reason = "the old fact names the changed value"
            out.append(_retire(s, old, new, why, reason, slot=new))
    return out


def _retire_unowned(
    s: Session, new: Fact, mine: SlotFact, pending: dict[SlotKey, list[Fact]] | None
) -> list[Fact]:
    """ "The restaurant's head chef is Pierre." then "The head chef is now Aiko.": a change of
    a single-valued attribute whose owner is not written (read as ours) concerns the one
    current holder of that attribute in the bank under another owner, when there is exactly
    one such owner. Only for a stated change; two owners or none: keep both."""
    if not (mine.functional and (mine.explicit_change or mine.change_old)):
        return []
    if not (new.slot or {}).get("owner_implicit"):
        return []  # the owner is written ("our main database", "the bistro's head chef")
    with s.no_autoflush:
        q = select(Fact).where(
            Fact.bank == new.bank,
            Fact.predicate == new.predicate,
            col(Fact.invalidated_at).is_(None),
            Fact.id != new.id,
        )
        others = list(s.exec(q).all())
    for facts in (pending or {}).values():
        others += [f for f in facts if f.predicate == new.predicate and f.id != new.id
                   and f.invalidated_at is None and f not in others]  # fmt: skip
    if any(o.subject_entity_id == new.subject_entity_id for o in others):
        return []  # ours is written down: that is the slot
    owners = {o.subject_entity_id for o in others if slot_of(o).functional}
    if len(owners) != 1:
        return []
    out = []
    for old in others:
        as_slot = replace(slot_of(old), subject=new.subject_entity_id or "")
        why = supersession(as_slot, mine) if as_slot.functional else None
        if why is not None and mine.change_old and why.rule != "explicit-change":
            continue  # it names another old value: not this holder's
        if why is not None:
            reason = "the owner is not written; the only current holder of this attribute"
            out.append(_retire(s, old, new, why, reason))
    return out


def _slot_name(s: Session, f: Fact) -> str:
    """ "we|main database": the slot as a reader would name it."""
    ent = s.get(Entity, f.subject_entity_id) if f.subject_entity_id else None
    return f"{ent.name if ent is not None else f.subject_entity_id}|{f.predicate}"


def ambiguous_pairs(
    s: Session, resolver: EntityResolver, facts: Sequence[tuple[str, datetime, ExtractedFact]]
) -> list[tuple[str, str, str, str]]:
    """(bank, new fact text, old fact id, old fact text) for each current fact the rules keep
    apart from a new one only because they cannot tell (`memory.slots.ambiguous_change`)."""
    asks: list[tuple[str, str, str, str]] = []
    for bank, when, xf in facts:
        if xf.functional or xf.change is None or xf.change.old or not xf.subject:
            continue
        pred = normalise_slot(xf.predicate)
        ids = [e.id for e in resolver.lookup(s, bank, xf.subject)]
        for old in current_facts(s, bank, ids, "")[:50]:
            new = SlotFact(old.subject_entity_id or "", pred or "", xf.object, when,
                           cues=tuple(xf.change.cues))  # fmt: skip
            if old.predicate == pred and ambiguous_change(slot_of(old), new):
                asks.append((bank, xf.text, old.id, old.text))
    return asks


def naming_old_value(
    s: Session, resolver: EntityResolver, bank: str, xf: ExtractedFact, new_id: str
) -> list[Fact]:
    """Current facts whose sentence was not read as a slot but that name the old value of
    an explicit change and its subject ("We store logs in Splunk." for "We moved our logs
    from Splunk to Loki."): the change names them, so they are in its slot."""
    if xf.change is None or not xf.change.old or not xf.subject:
        return []
    ids = [e.id for e in resolver.lookup(s, bank, xf.change.old)]
    if not ids:
        return _naming_old_text(s, bank, xf, new_id)
    mine = {e.id for name in [xf.subject, *xf.targets] for e in resolver.lookup(s, bank, name)}
    q = (
        select(Fact)
        .join(FactEntity, col(FactEntity.fact_id) == col(Fact.id))
        .where(
            col(FactEntity.entity_id).in_(ids),
            Fact.bank == bank,
            col(Fact.invalidated_at).is_(None),
            # the slot's own facts are `supersede`'s candidates already
            col(Fact.subject_entity_id).is_(None)
            | (col(Fact.predicate) != normalise_slot(xf.predicate))
            | col(Fact.subject_entity_id).not_in(mine),
            Fact.id != new_id,
        )
    )
    with s.no_autoflush:
        rows = list(s.exec(q).all())
    return [f for f in rows if _names_subject(f.text, [xf.subject, *xf.targets])]


def _naming_old_text(s: Session, bank: str, xf: ExtractedFact, new_id: str) -> list[Fact]:
    """Current facts read as no slot whose text holds an old value that is no entity ("We
    bottle the pale ale in 330 ml bottles." for "We switched the pale ale from 330 ml bottles
    to 440 ml cans.") and names the change's own subject (not only "we")."""
    old = (xf.change.old or "").strip() if xf.change is not None else ""
    if len(old) < 3 or not xf.subject or xf.subject == "we":
        return []
    q = select(Fact).where(
        Fact.bank == bank,
        col(Fact.invalidated_at).is_(None),
        col(Fact.subject_entity_id).is_(None),
        col(Fact.text).icontains(old, autoescape=True),
        Fact.id != new_id,
    )
    with s.no_autoflush:
        rows = list(s.exec(q.limit(50)).all())
    return [f for f in rows if _names_subject(f.text, [xf.subject])]
