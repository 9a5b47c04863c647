"""Who-questions: the person the evidence points to, with how many statements say so.

"Who finishes tasks early?" -> "Sarah Kim — 4 matching statements: 2025-09-12 [1], ...". A
statement counts for the person who is its subject (an entity linked as subject, the speaker
of a transcript line, else the person the parse finds as its grammatical subject); one that
holds the opposite of the question's qualifier ("a week late" for "early") counts for no one.
"""

from __future__ import annotations

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext, is_person_name
from agent.answer.evidence import LEXICAL_WEIGHT, Evidence, covers, keep_relevant
from agent.answer.nlp import parse
from agent.answer.polarity import NEGATIONS, contradicts
from agent.answer.question import adverbial_phrases, modifiers, object_terms

__all__ = ["answer_who", "person_of"]

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "poss")
QUALIFIER_FLOOR = 0.4  # an adverbial phrase this close to the question's qualifier matches it
QUALIFIED_MARGIN = 0.3  # with a qualifier to check, statements further from the best count
QUALIFIED_FLOOR = 0.25  # ... and weaker ones, down to this
QUALIFIED_ANSWER_FLOOR = 0.35  # the best qualified statement must reach this


async def person_of(ctx: AnswerContext, e: Evidence) -> str | None:
    """The canonical name of the person a statement is about, if any."""
    for x in e.entities:
        if x.role == "subject" and (x.kind == "person" or is_person_name(x.name)):
            return x.name
    if e.speaker and is_person_name(e.speaker):
        return await ctx.canonical(e.speaker) or e.speaker
    people = [ent for ent in parse(e.text).ents if ent.label_ == "PERSON"]
    people.sort(key=lambda ent: ent.root.dep_ not in _SUBJECT_DEPS)
    for ent in people:
        name = ent.text.strip(" .,;:").removesuffix("'s").removesuffix("’s")
        return await ctx.canonical(name) or await ctx.canonical(ent.text) or name
    return next((x.name for x in e.entities if x.kind == "person"), None)


def names_another(terms: list[tuple[str, set[str]]], e: Evidence) -> bool:
    """Does the statement name a different one of the thing asked about ("the ingestion API"
    for "the billing API"): the same head noun with modifiers of its own, and none of the
    question's anywhere in it?"""
    if not terms:
        return False
    doc = parse(e.text)
    forms = [t.lemma_.lower() for t in doc] + [t.lower_ for t in doc]
    for head, mods in terms:
        if covers(sorted(mods), forms) > 0:  # "climbing" read as "climb" in one of them
            continue
        if any(t.lemma_.lower() == head and modifiers(t) for t in doc):
            return True
    return False


def _fits(question_words: set[str], qualifiers: list[str], e: Evidence) -> bool:
    words = e.words
    if contradicts(qualifiers, words):
        return False
    negated = bool(NEGATIONS & set(words)) and not NEGATIONS & question_words
    return not negated


async def tally_people(ctx: AnswerContext, items: list[Evidence]) -> dict[str, list[Evidence]]:
    q = ctx.question
    qwords = {w.lower() for w in q.text.split()}
    terms = object_terms(q.text)
    tally: dict[str, list[Evidence]] = {}
    for e in items:
        for fact in e.proofs or [e]:
            if not _fits(qwords, q.qualifiers, fact) or names_another(terms, fact):
                continue
            who = await person_of(ctx, fact)
            if who and fact not in tally.setdefault(who, []):
                tally[who].append(fact)
    return {k: v for k, v in tally.items() if v}


def _rank(tally: dict[str, list[Evidence]]) -> list[tuple[str, list[Evidence]]]:
    return sorted(tally.items(), key=lambda kv: (-len(kv[1]), -sum(e.relevance for e in kv[1])))


def _without_people(text: str) -> str:
    doc = parse(text)
    return " ".join(t.text for t in doc if t.ent_type_ != "PERSON").strip()


def rescore_predicate(ctx: AnswerContext, pool: list[Evidence]) -> list[Evidence]:
    """A who-question asks for whoever fits a predicate ("finishes tasks early"): compare it
    with each statement without its people's names too, and keep the better score."""
    q = ctx.question
    if not pool or not q.predicate:
        return pool
    sims = ctx.similarity(q.predicate, [_without_people(e.text) for e in pool])
    for e, sim in zip(pool, sims, strict=True):
        lexical = LEXICAL_WEIGHT * covers(q.predicate_content, e.lemmas)
        e.relevance = max(e.relevance, round(sim + lexical, 4))
    return sorted(pool, key=lambda e: -e.relevance)


def qualified(ctx: AnswerContext, items: list[Evidence]) -> list[Evidence]:
    """When the question qualifies its predicate ("early", "before the deadline"), only the
    statements with an adverbial phrase close to one of its qualifiers."""
    wanted = ctx.question.qualifier_phrases
    if not wanted:
        return items
    facts = [f for e in items for f in (e.proofs or [e])]
    phrases = {id(f): adverbial_phrases(parse(f.text)) for f in facts}
    flat = sorted({p for ps in phrases.values() for p in ps})
    if not flat:
        return []
    best: dict[str, float] = {p: 0.0 for p in flat}
    for w in wanted:
        for p, sim in zip(flat, ctx.similarity(w, flat), strict=True):
            best[p] = max(best[p], sim)
    return [f for f in facts if any(best[p] >= QUALIFIER_FLOOR for p in phrases[id(f)])]


async def answer_who(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    pool = rescore_predicate(ctx, pool)
    if ctx.question.qualifier_phrases:  # the qualifier is the constraint: a wider net first
        kept = qualified(ctx, [e for e in pool if e.relevance >= QUALIFIED_FLOOR])
        kept = keep_relevant(kept, margin=QUALIFIED_MARGIN, floor=QUALIFIED_FLOOR,
                             answer_floor=QUALIFIED_ANSWER_FLOOR)  # fmt: skip
    else:
        kept = keep_relevant(pool)
    ranked = _rank(await tally_people(ctx, kept))
    if not ranked:
        return None
    cites = Citations()
    name, facts = ranked[0]
    facts = sorted(facts, key=lambda e: e.date.isoformat() if e.date else "")
    if len(facts) == 1:
        lead = f"{name}: {facts[0].text} {cites.cite(facts[0])}"
    else:
        dates = ", ".join(f"{day(e.date)} {cites.cite(e)}" for e in facts)
        lead = f"{name} — {len(facts)} matching statements: {dates}"
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in facts] if len(facts) > 1 else []
    lines += [_other(n, fs, cites) for n, fs in ranked[1:3]]
    return Answer("who", lead, lines, cites.sources)


def _other(name: str, facts: list[Evidence], cites: Citations) -> str:
    refs = ", ".join(cites.cite(e) for e in facts[:3])
    return f"also {name}: {len(facts)} statement(s) {refs}"
