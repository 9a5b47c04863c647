"""Amounts of one thing that change: prices, durations and counts (issue 11).

A careful reader of "A check-up costs £45." then "A check-up has gone up to £52." takes the
price as £52 now; of "The crossing takes 40 minutes." then "The crossing was cut to 35
minutes." the crossing as 35 minutes; of "The shelter houses 40 dogs." then "The shelter is
up to 48 dogs." the count as 48. The main readers (`memory.extract.clauses`) read these
through `pobj` arcs the small parser often gets wrong around money ("up to €16" is tagged one
MONEY entity with "to" as a quantifier), so this module reads the amount from the tokens
after the verb, and gives each amount a slot of one kind:

- a price or a length of a thing X: X's own, (X, cost) / (X, length), with X's own
  qualifiers kept in its name ("Parking at the clinic", "check-up at the vet"), a proper
  noun's too ("Netflix"); a noun that names the amount itself ("the annual budget", "the bus
  fare", "the probation period") is its owner's attribute, (owner or we, bus fare), as the
  copular reader gives "The bus fare is $2.50"; a percentage likewise ("the mortgage rate");
  a rate's unit stays in the value ("$30 an hour"), and `amount_kind` keeps a price per hour
  from replacing a price per day;
- a count of a noun ("62 families"): (X, count of family), as "The X has 80 families" reads.

Shapes: "X costs A" (present tense), "X is A" (a price or "free"), "X lasts/takes D", "X
houses/holds/seats/sleeps N Ys" (present tense), and a change of X onto an amount: a verb of
amount ("rose to", "was cut from A to B", "has been extended to") or "is up/down to". "instead
of A" / "rather than A" names the old amount. Conservative: no reading under a negation, a
modal of possibility, a condition, a question, in the plain past ("cost £45 last time"), for
pronoun, counted ("Two tickets") or deictic ("These tickets") subjects, or without an amount.
The qualifiers of the verb ("for members", "on Saturdays", "in summer") are part of the
attribute, so another audience's or day's price never meets this one; "from Monday", "since
the merger", "this year" date the change and are no qualifier.

`amount_kind` is the pure side: which kind of amount a stored value is (money, percent,
duration, clock time, a count of a noun), so `memory.slots` never lets one kind replace
another in the same slot ("The tour is $40" / "The tour is 90 minutes").
"""

from __future__ import annotations

import re
from typing import Any

from memory.extract.phrases import children as _children
from memory.extract.phrases import heads_clause as _heads_clause
from memory.extract.phrases import lemma_of as _lemma
from memory.extract.phrases import phrase as _phrase
from memory.text import word_set

__all__ = [
    "AMOUNT_WORDS",
    "read_amount",
    "misread_amount",
    "amount_kind",
    "kinds_clash",
    "heading_qualifier",
    "unreal",
]

Token = Any  # spacy.tokens.Token
Clause = Any  # memory.extract.clauses.Clause (imported late: clauses calls this module)

# parse gate: words of these shapes `clauses.needs_parse` does not have already
_GATE_NUMBER = (
    r"(?:[$£€¥]\s?\d|\d|an?\b|half|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|a hundred)"
)
AMOUNT_WORDS = re.compile(
    r"\bcost(?:s|ing)?\b|\b(?:is|are|'s|’s) (?:now |still )?free\b"
    rf"|\b(?:up|down) to {_GATE_NUMBER}"
    rf"|\b(?:lasts?|takes?|taking|lasting|runs?|running) (?:for )?(?:about |around |roughly |only |just )?{_GATE_NUMBER}"
    r"[\w.,-]* (?:an? )?(?:minute|min|hour|hr|day|week|fortnight|month|year|second|night)s?\b"
    r"|\b(?:houses?|housing|holds?|holding|seats?|seating|sleeps?|sleeping) \d"
    r"|\b(?:instead of|rather than) [$£€¥]?\d"
    # an old value written beside the new one (`memory.extract.written_changes`), and counts
    r"|\b(?:up|down) from [$£€¥]?\d|\((?:was|previously|formerly|before|from):? [$£€¥]?\d"
    r"|, (?:previously|formerly|was|before) [$£€¥]?\d"
    r"|\b(?:counts?|counting|fields?|fielding) \d|\d\s*(?:->|→|=>)\s*\d"
    # present and other forms of the verbs of amount the main gate has in one form only
    r"|\b(?:drops?|dropping|falls?|falling|fallen|rises?|rising|jump(?:s|ed|ing)?"
    r"|soar(?:s|ed|ing)?|dip(?:s|ped|ping)?|slips?|slipping|climbs?) to\b",
    re.IGNORECASE,
)

_CURRENCY_SYMBOLS = frozenset("$£€¥₹")
_CURRENCY_WORDS = frozenset(
    ["dollar", "euro", "pound", "yen", "yuan", "franc", "rupee", "peso", "krona", "krone",
     "rand", "ruble", "rouble", "lira", "zloty", "dirham", "shekel", "buck", "cent", "pence",
     "p", "usd", "eur", "gbp", "chf", "jpy", "quid"]
)  # fmt: skip
_DURATION_UNITS = frozenset(
    ["second", "minute", "min", "mins", "hour", "hr", "hrs", "day", "week", "fortnight",
     "month", "year", "night"]
)  # fmt: skip
_MULTIPLIERS = frozenset(["thousand", "million", "billion", "k", "m", "bn", "hundred", "dozen"])
# words before an amount that say how much, not what: "about 40", "only £3"
_APPROX = frozenset(["about", "around", "roughly", "approximately", "only", "just", "nearly",
                     "almost", "over", "under", "exactly", "some", "now", "still"])  # fmt: skip
_RATE_WORDS = frozenset(["a", "an", "per", "each", "every"])
# prepositions that date or explain a value, never qualify it: "from Monday", "since the
# winter losses", "after the new planting", "instead of £3"
_NOT_QUALIFIERS = frozenset(
    ["from", "since", "after", "following", "starting", "beginning", "as", "instead",
     "rather", "until", "till", "to", "than", "like", "due", "because", "thanks", "with",
     "before", "despite", "by", "per", "of"]
)  # fmt: skip
# modals of possibility and ability: "might go up to £18", "can hold up to 40 dogs"
_UNREAL_MODALS = frozenset(["may", "might", "could", "would", "should", "must", "ought", "can"])
_CONDITIONS = frozenset(["if", "unless", "whether"])
_DEICTIC = frozenset(["this", "that", "these", "those", "some", "many", "most", "several",
                      "few", "all", "both", "any", "no", "other", "another"])  # fmt: skip
_PRONOUNS = frozenset(["it", "this", "that", "these", "those", "they", "them", "one", "which",
                       "what", "who", "there", "he", "she", "you", "i", "we"])  # fmt: skip
# verbs that set an amount to a value, with "to" ("rose to £52", "was cut to 20 minutes")
_CHANGE_VERBS = frozenset(
    ["expand", "grow", "shrink", "increase", "decrease", "raise", "lower", "cut", "reduce",
     "extend", "shorten", "lengthen", "revise", "adjust", "bump", "rise", "fall", "climb",
     "drop", "double", "halve", "set", "update", "scale", "trim", "boost", "hike", "jump",
     "soar", "slip", "dip", "creep", "edge", "fall", "tumble", "plunge", "change", "move",
     "heat", "cool", "warm", "chill"]
)  # fmt: skip
# verbs whose object counts what a place holds now: "houses 40 dogs", "seats 120 diners"
_HOLD_VERBS = frozenset(["house", "hold", "seat", "sleep", "shelter", "stable", "accommodate"])
_DURATION_VERBS = frozenset(["last", "take", "run"])


# ------------------------------------------------------------------ the pure side


_WORD_RE = re.compile(r"[a-z]+")
_RATE_RE = re.compile(r"\b(?:an?|per|each|every)\s+(?:[a-z]+\s+)?([a-z]+)\s*$")
_CLOCK_RE = re.compile(r"\d[:.]\d\d\s*(?:[ap]\.?m\b)?|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.I)


def amount_kind(value: str | None) -> str | None:
    """The kind of amount a value is: "money" ("£52", "2.5 million euros", "free"),
    "percent", "duration" ("90 minutes", "two hours"), "clock" ("6:30 am"), "count:NOUN"
    ("62 families"), or None (a name, a date, a bare number, anything else)."""
    if not value:
        return None
    low = value.lower().strip()
    if low == "free":
        return "money"
    if "%" in low or "percent" in low or "per cent" in low:
        return "percent"
    if re.search(r"\d\s*(?:degrees?\b|°)", low):
        return "temperature"
    words = _WORD_RE.findall(low)
    if any(c in low for c in _CURRENCY_SYMBOLS) or any(
        w.rstrip("s") in _CURRENCY_WORDS or w in _CURRENCY_WORDS for w in words
    ):
        rate = _RATE_RE.search(low)  # "£15 an hour" is a price per hour
        return f"money/{_singular(rate[1])}" if rate else "money"
    if _CLOCK_RE.search(low):
        return "clock"
    first = low.split()[0]
    if not (first[:1].isdigit() or first in _NUMBER_WORDS) or set(words) & _CALENDAR:
        return None  # a count starts with its number; "March 17", "the 15th" are dates
    nouns = [w for w in words if w not in _NUMBER_WORDS and w not in _MULTIPLIERS
             and w not in _APPROX and w not in _RATE_WORDS and w != "and"]  # fmt: skip
    if nouns and _singular(nouns[0]) in _DURATION_UNITS:
        return "duration"
    if nouns:
        return f"count:{_singular(nouns[-1])}"
    return None


_NUMBER_WORDS = word_set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "half a an"
)


_CALENDAR = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday st nd rd th"
)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


def kinds_clash(a: str | None, b: str | None) -> bool:
    """Two values of a single-valued slot that are amounts of different kinds (a price and a
    length, a length and a clock time): neither replaces the other. Counts of different
    nouns do not clash here ("12 engineers" / "14 people" may count one team)."""
    ka, kb = (k.split(":")[0] if k else k for k in (amount_kind(a), amount_kind(b)))
    if "free" in ((a or "").lower().strip(), (b or "").lower().strip()):
        # "free" then "£2 a day": a price at any rate
        ka, kb = (k.split("/")[0] if k else k for k in (ka, kb))
    return ka is not None and kb is not None and ka != kb


# ------------------------------------------------------------------ amounts in a parse


class _Amount:
    """An amount read from the tokens of a sentence: its text, kind, counted noun token
    (for a count), a rate's unit ("an hour" -> "hour") and where it ends."""

    def __init__(self, text: str, kind: str, noun: Token | None, rate: str | None, end: int,
                 number: str = "") -> None:  # fmt: skip
        self.text, self.kind, self.noun, self.rate, self.end = text, kind, noun, rate, end
        self.number = number  # the number alone ("62" of "62 families")


def _is_number(tok: Token) -> bool:
    return bool(tok.like_num) or tok.lower_ in _MULTIPLIERS and tok.i > 0 and tok.nbor(-1).like_num


def _amount_at(doc: Any, i: int, end: int) -> _Amount | None:
    """The amount written from token `i` ("£52", "$2.75 an hour", "62 families", "two hours",
    "free", "4.1%"), or None."""
    j = i
    while j < end and doc[j].lower_ in _APPROX:
        j += 1
    if j >= end:
        return None
    if doc[j].lower_ == "free" and (j + 1 >= end or not doc[j + 1].like_num):
        return _Amount("free", "money", None, None, j + 1)
    start = j
    money = False
    if re.fullmatch(r"\d+(?:\.\d+)?p", doc[j].lower_):  # "90p" as one token
        return _Amount(doc[j].text, "money", None, None, j + 1, doc[j].text)
    if doc[j].text in _CURRENCY_SYMBOLS or doc[j].text in ("US$", "A$", "C$"):
        money, j = True, j + 1
    if j < end and doc[j].text[:1] in _CURRENCY_SYMBOLS and doc[j].text[1:2].isdigit():
        money = True  # "£150" as one token
    elif j >= end or not (doc[j].like_num or doc[j].lower_ in ("a", "an", "half")):
        return None
    if doc[j].lower_ in ("a", "an", "half"):  # "an hour", "half an hour", "a week"
        k = j + 1
        while k < end and doc[k].lower_ in ("a", "an", "half"):
            k += 1
        if k < end and _singular(doc[k].lemma_.lower()) in _DURATION_UNITS and not money:
            return _Amount(doc[start : k + 1].text, "duration", doc[k], None, k + 1)
        return None
    j += 1
    while j < end and (_is_number(doc[j]) or doc[j].text in ("-", ",") and j + 1 < end
                       and doc[j + 1].like_num and not doc[j].whitespace_):  # fmt: skip
        j += 1
    kind, noun, number = "number", None, doc[start:j].text
    if j < end and doc[j].text in ("%",) or j < end and doc[j].lower_ in ("percent",):
        kind, j = "percent", j + 1
    elif j < end and doc[j].lower_ == "per" and j + 1 < end and doc[j + 1].lower_ == "cent":
        kind, j = "percent", j + 2
    elif j < end and _singular(doc[j].lower_) in _CURRENCY_WORDS:
        kind, j = "money", j + 1
    elif money:
        kind = "money"
    elif j < end and _singular(doc[j].lemma_.lower()) in _DURATION_UNITS:
        kind, noun, j = "duration", doc[j], j + 1
    elif j < end and (doc[j].lemma_.lower() == "degree" or doc[j].text in ("°", "°C", "°F")):
        kind, j = "temperature", j + 1  # "28 degrees", "27 °C"
        if j < end and doc[j].lower_ in ("celsius", "fahrenheit", "c", "f"):
            j += 1
    else:
        k = j
        while k < end and doc[k].pos_ in ("ADJ", "NOUN") and doc[k].dep_ in ("amod", "compound"):
            k += 1
        if k < end and doc[k].pos_ == "NOUN":
            kind, noun, j = "count", doc[k], k + 1
    rate = None
    if j + 1 < end and doc[j].lower_ in _RATE_WORDS:  # "an hour", "per cubic metre"
        k = j + 1
        while k + 1 < end and doc[k].pos_ == "ADJ":
            k += 1
        if doc[k].pos_ == "NOUN":
            rate, j = doc[k].lemma_.lower(), k + 1
    if kind == "number" or kind == "count" and _CLOCK_RE.search(doc[start : j + 1].text):
        return None  # a bare number, or a clock time ("9:10 am"): left to the main readers
    return _Amount(doc[start:j].text, kind, noun, rate, j, number)


def _clause_end(root: Token) -> int:
    """Where the clause of `root` ends: the sentence's end, or the first token after it that
    heads another clause (a conjoined verb, a relative clause) or a ';'."""
    sent = root.sent
    for t in sent.doc[root.i + 1 : sent.end]:
        if t.text in (";", "—", "–") or t.i != root.i and _heads_clause(t) and t.dep_ != "ROOT":
            return t.i
    return sent.end


def _amount_after(root: Token, words: tuple[str, ...]) -> tuple[_Amount, int] | None:
    """The first amount right after one of `words` ("to", "from") in the clause of `root`,
    with the index of that word."""
    doc, end = root.doc, _clause_end(root)
    for t in doc[root.i + 1 : end]:
        if t.lower_ in words and (found := _amount_at(doc, t.i + 1, end)) is not None:
            return found, t.i
    return None


def _named_old(root: Token) -> _Amount | None:
    """The amount of "instead of A" / "rather than A" in the clause, else None."""
    doc, end = root.doc, _clause_end(root)
    for t in doc[root.i + 1 : end - 1]:
        pair = (t.lower_, doc[t.i + 1].lower_)
        if pair in (("instead", "of"), ("rather", "than")):
            found = _amount_at(doc, t.i + 2, end)
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------ the slot of an amount


def _up_down_to(root: Token) -> str | None:
    """ "is up to", "is now down to": the words right after the copula, however parsed."""
    doc, i = root.doc, root.i + 1
    while i < len(doc) and doc[i].lower_ in ("now", "already", "still", "currently"):
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ in ("up", "down") and doc[i + 1].lower_ == "to":
        return doc[i].lower_
    return None


def _unreal(root: Token) -> bool:
    """Negated, under a modal of possibility, under a condition: no value stated. A negation
    or a modal may hang on an auxiliary ("did not get extended": "not" on "get")."""
    near = [*root.children]
    near += [g for c in root.children if c.dep_ in ("aux", "auxpass") for g in c.children]
    if any(c.dep_ == "neg" or c.tag_ == "MD" and c.lower_ in _UNREAL_MODALS for c in near):
        return True
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in c.children)
        for c in root.children
    ) or root.sent.text.rstrip().endswith("?")


unreal = _unreal  # for the main readers' counts ("could have 55 lockers")


def _present(root: Token) -> bool:
    """A present-tense statement: "costs", "is", "is now running", "has been" (no plain past:
    "cost £45 last time" is one occasion). "costs" the small parser took for a plural noun
    is the verb."""
    if root.tag_ in ("VBZ", "VBP") or root.lower_ == "costs":
        return True
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    return bool(aux) and aux[0].tag_ in ("VBZ", "VBP") and aux[0].lemma_ == "be"


def _qualifiers(heads: list[Token], skip: set[int], change: bool = False) -> list[str]:
    """The prepositional phrases and weekday adverbs on `heads` that say whose, when or which
    ("for members", "on Saturdays", "in summer"), as words of the attribute. On a `change` a
    date says when it changed ("drops to 70% in January", "rose to £5 on Monday"), unless it
    recurs ("on Saturdays")."""
    quals = []
    for h in heads:
        for c in h.children:
            if c.i in skip:
                continue
            if c.dep_ == "prep" and c.lower_ not in _NOT_QUALIFIERS:
                obj = next(iter(_children(c, "pobj")), None)
                if obj is None or obj.i in skip:
                    continue
                recurs = obj.lower_.endswith("s") and obj.lower_[:-1] in _WEEKDAY_STEMS
                if change and obj.ent_type_ in ("DATE", "TIME") and not recurs:
                    continue
                quals.append(f"{c.lower_} {_phrase(obj).lower()}")
            elif c.dep_ == "npadvmod" and c.lower_.rstrip("s") in _WEEKDAY_STEMS:
                quals.append(f"on {c.lower_}")
    return quals


_WEEKDAY_STEMS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekday",
     "weekend", "weeknight"]
)  # fmt: skip


def _thing(subj: Token) -> bool:
    """A subject an amount can be of: a common noun (not counted, not deictic) or a proper
    noun that is no person."""
    if subj.lower_ in _PRONOUNS or subj.pos_ not in ("NOUN", "PROPN"):
        return False
    if subj.pos_ == "PROPN" and subj.ent_type_ in ("PERSON", "NORP"):
        return False
    return not any(
        c.dep_ == "nummod" or c.dep_ == "det" and c.lower_ in _DEICTIC for c in subj.children
    )


def _slot(subj: Token, who: str, quals: list[str], kind: str) -> tuple[Any, str] | None:
    """(subject, attribute) of an amount of `subj`: a price or a length is the thing's own
    ("The bus fare" -> (bus fare, cost), "Parking at the clinic" -> (Parking at the clinic,
    cost), "Loans" -> (Loans, length)); a percentage names its attribute as the copular reader
    does ("The mortgage rate" -> (we, mortgage rate)). None when a pronoun owns it."""
    toks = list(subj.doc[subj.left_edge.i : subj.right_edge.i + 1])
    if kind in _BASE and subj.lemma_.lower() not in _AMOUNT_NOUNS:
        name = who if subj.pos_ == "PROPN" else _thing_name(toks)
        return (name, " ".join([_BASE[kind], *quals])) if name else None
    found = _np_slot(toks, subj)
    if found is None:
        return None
    return found[0], " ".join([found[1], *quals])


# nouns that name an amount of their owner ("the annual budget", "the bus fare", "the
# probation period"): the copular reader's (owner, attribute) slot, not a thing's own cost
_AMOUNT_NOUNS = frozenset(
    ["budget", "price", "cost", "fee", "fare", "rent", "salary", "wage", "rate", "charge",
     "toll", "premium", "deposit", "allowance", "stipend", "tuition", "levy", "tariff", "tax",
     "subscription", "payment", "pay", "length", "duration", "period", "term", "window",
     "span", "wait", "limit", "cap", "fine", "bill", "total", "value", "revenue", "turnover",
     "temperature"]
)  # fmt: skip
# the attribute a price or a length is of its thing
_BASE = {"money": "cost", "duration": "length", "temperature": "temperature"}


def _thing_name(toks: list[Token]) -> str | None:
    """The thing a noun phrase names, as written, without a leading determiner or "our"/"my"
    ("The climbing gym's day pass" -> "climbing gym's day pass"); None when a pronoun owns
    it ("its fee", "her lesson")."""
    if any(t.lower_ in ("its", "his", "her", "your") for t in toks):
        return None
    while toks and (toks[0].pos_ == "DET" or toks[0].lower_ in ("our", "my", "their")):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    return "".join(t.text_with_ws for t in toks).strip() or None


def _np_slot(toks: list[Token], head: Token) -> tuple[Any, str] | None:
    """(owner, attribute) a noun phrase names, from its words, the same whether the parse or
    the word order found it: "The bus fare" -> (we, bus fare); "the climbing gym's day pass"
    -> (climbing gym, day pass); "A litre of milk" -> (milk, litre); "Parking at the clinic"
    -> (we, parking at clinic). None when a pronoun owns it ("its fee")."""
    from memory.extract.clauses import UNWRITTEN

    owner: Any = None
    if any(t.lower_ in ("its", "his", "her", "their", "my", "your") for t in toks):
        return None
    if any(t.lower_ == "our" for t in toks):
        owner = "we"
    poss = [t for t in toks if t.tag_ == "POS" and t.i < head.i]
    if poss:
        owner = _words(toks[: toks.index(poss[-1])]) or None
        toks = toks[toks.index(poss[-1]) + 1 :]
    pre = [t for t in toks if t.i < head.i]
    post = [t for t in toks if t.i > head.i]
    core = " ".join([*(t.lower_ for t in pre if t.pos_ != "DET" and t.lower_ != "our"),
                     head.lemma_.lower()])  # fmt: skip
    if post and post[0].lower_ in ("of", "for") and owner is None:
        owner = _words(post[1:]) or None
        post = []
    rest = _words(post)
    attr = f"{core} {rest}".strip() if rest else core
    return owner or UNWRITTEN, attr


def _words(toks: list[Token]) -> str:
    """The words of `toks` as an attribute's words: lower case, without determiners and
    punctuation."""
    return " ".join(t.lower_ for t in toks if t.pos_ not in ("DET", "PUNCT") and t.tag_ != "POS")


def _amount_clause(subj: Token, who: str, amount: _Amount, quals: list[str], cues: list[str],
                   prior: _Amount | None, why: tuple[str, ...], explicit: bool) -> Clause | None:  # fmt: skip
    from memory.extract.clauses import _clause

    if amount.kind == "count":
        from memory.extract.clauses import counted_noun

        noun = counted_noun(amount.noun) if amount.noun is not None else ""
        if not noun or quals or amount.rate or any(c.dep_ == "poss" for c in subj.children):
            # a count with a qualifier, a rate ("650 tonnes a day") or an owner ("the
            # centre's volunteers"): the main readers' shapes
            return None
        old = prior.number if prior is not None else None
        return _clause(who, f"count of {noun}", amount.number, True, cues, old, why, [who],
                       explicit=explicit)  # fmt: skip
    slot = _slot(subj, who, quals, amount.kind)
    if slot is None:
        return None
    owner, attr = slot
    old = prior.text if prior is not None else None
    return _clause(owner, attr, amount.text, True, cues, old, why, [str(owner), who],
                   explicit=explicit)  # fmt: skip


# ------------------------------------------------------------------ readers


def read_amount(root: Token, subj: Token, who: str, cues: list[str]) -> Clause | None:
    """The slot an amount sentence gives a value to (see the module docstring), else None
    (the main readers go on)."""
    if not _thing(subj) or _unreal(root):
        return None
    lemma = "cost" if root.lower_ in ("cost", "costs") else _lemma(root)
    way = {c.lower_ for c in root.children if c.dep_ in ("prt", "advmod")}
    if lemma == "be" and (up := _up_down_to(root)):
        way.add(up)
    changed = lemma in _CHANGE_VERBS or lemma in ("go", "come") and bool(way & {"up", "down"})
    if lemma == "be" and way & {"up", "down"}:
        changed = True  # "The waiting list is down to 62 families"
    if changed:
        return _changed(root, subj, who, cues, lemma, way)
    if not _present(root):
        return None
    if lemma == "cost":
        return _stated(root, subj, who, cues, ("cost",))
    if lemma == "be":
        comp = next(iter(_children(root, "attr", "acomp")), None)
        if comp is None or comp.i < root.i:
            return None
        found = _amount_at(root.doc, comp.left_edge.i, _clause_end(root))
        if found is None or found.kind not in ("money", "duration") or found.end <= comp.i:
            return None
        if found.kind == "duration" and not found.number:
            return None  # "Christmas is a day for family": no length stated
        if found.text == "free" and _free_of_something(comp):
            return None  # "free of harsh chemicals", "free from gluten", "free to leave"
        return _stated(root, subj, who, cues, ("price" if found.kind == "money" else "length",),
                       start=comp.left_edge.i, heads=[root, comp])  # fmt: skip
    if lemma in _DURATION_VERBS:  # "The crossing takes 40 minutes", "Loans last three weeks"
        doc = root.doc  # "The course runs for three weeks": the length after "for"
        after_for = (
            root.i + 2 if root.i + 1 < len(doc) and doc[root.i + 1].lower_ == "for" else None
        )
        found = _stated(root, subj, who, cues, ("length",), want=("duration",), start=after_for,
                        skip_from=root.i + 1)  # fmt: skip
        if found is not None:
            return found
    if lemma in _HOLD_VERBS:
        return _stated(root, subj, who, cues, ("count",), want=("count",))
    return None


def _free_of_something(free: Token) -> bool:
    """ "free of harsh chemicals", "free from gluten", "free to leave": free of something
    other than a charge, or free to do something, says nothing of a price."""
    for c in free.children:
        if c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ == "to":
            return True
        if c.dep_ == "prep" and c.lower_ in ("of", "from"):
            obj = next(iter(_children(c, "pobj")), None)
            if obj is None or obj.lemma_.lower() not in ("charge", "cost", "fee", "payment"):
                return True
    return False


def _stated(root: Token, subj: Token, who: str, cues: list[str], why: tuple[str, ...],
            want: tuple[str, ...] = ("money", "duration", "percent"), start: int | None = None,
            heads: list[Token] | None = None, skip_from: int | None = None) -> Clause | None:  # fmt: skip
    """ "A check-up costs £45", "Loans last three weeks", "The shelter houses 40 dogs": the
    amount right after the verb (or from `start`)."""
    doc, end = root.doc, _clause_end(root)
    found = _amount_at(doc, root.i + 1 if start is None else start, end)
    if found is None or found.kind not in want:
        return None
    amount_toks = set(range(root.i + 1 if start is None else skip_from or start, found.end))
    quals = _qualifiers(heads or [root], amount_toks)
    old = _named_old(root)
    return _amount_clause(subj, who, found, quals, cues, old, why, old is not None)


def _changed(root: Token, subj: Token, who: str, cues: list[str], lemma: str,
             way: set[str]) -> Clause | None:  # fmt: skip
    """ "A check-up has gone up to £52", "The kayak rental was cut from $30 to $25", "The
    waiting list is down to 62 families", "The cruise has been extended to two hours"."""
    obj = next(iter(_children(root, "dobj")), None) if subj.dep_ == "nsubj" else None
    new = _amount_after(root, ("to",))
    if new is None:
        return None
    amount, at = new
    if amount.kind not in ("money", "duration", "percent", "count", "temperature"):
        return None
    prior = _amount_after(root, ("from",))
    if prior is None and amount.kind == "temperature":
        prior = _bare_from(root, amount)  # "lowered from 28 to 27 degrees"
    between = set(range(root.i + 1, at)) - (set(range(prior[1], prior[0].end)) if prior else set())
    between -= {t.i for t in obj.subtree} if obj is not None else set()
    if any(root.doc[k].pos_ not in ("ADV", "PART", "ADP") for k in between):
        return None  # "can grow quite large (up to 20 inches)": "to" is not the verb's
    if obj is not None:
        # "We raised the entry fee to €12": the object's price or length
        if amount.kind not in ("money", "duration") or not _thing(obj):
            return None
        subj, who = obj, _phrase(obj)
    old = prior[0] if prior is not None and prior[1] < at else _named_old(root)
    skip = set(range(at, amount.end)) | (set(range(prior[1], prior[0].end)) if prior else set())
    quals = _qualifiers([root], skip, change=True)
    verb = f"{lemma} {'up' if 'up' in way else 'down'}" if way & {"up", "down"} else lemma
    return _amount_clause(subj, who, amount, quals, cues, old, (verb, "to"), True)


def _bare_from(root: Token, new: _Amount) -> tuple[_Amount, int] | None:
    """ "from 28 to 27 degrees": the bare number after "from", in the new amount's unit."""
    doc, end = root.doc, _clause_end(root)
    for t in doc[root.i + 1 : end - 2]:
        nxt = doc[t.i + 1]
        if t.lower_ == "from" and nxt.like_num and doc[t.i + 2].lower_ == "to":
            unit = new.text[len(new.number) :] if new.text.startswith(new.number) else ""
            old = _Amount(f"{nxt.text}{unit}", new.kind, None, None, t.i + 2, nxt.text)
            return old, t.i
    return None


# the verbs the small parser most often takes for a noun or an adjective before an amount:
# "A haircut costs £24" ("costs" a plural noun), "Loans last three weeks" ("last" an adjective)
_MISREAD = {"costs": ("money",), "cost": ("money",), "lasts": ("duration",), "last": ("duration",)}


def misread_amount(sent: Any, speaker: str | None = None) -> Clause | None:
    """ "A haircut costs £24", "The bike hire costs £15 an hour", "Loans from the library last
    three weeks": the parse has no verb "cost"/"last", but the word is followed by an amount
    of its kind and preceded by a noun phrase (from the sentence's start, or after a short
    leading phrase and a comma or colon): that phrase's price or length. Nothing after the
    amount but qualifiers and dates: another verb there means another reading."""
    from memory.extract.clauses import _change_cues, _clause

    del speaker
    if sent.text.rstrip().endswith("?"):
        return None
    doc = sent.doc
    verb = next((t for t in sent if t.lower_ in _MISREAD and t.pos_ != "VERB"), None)
    if verb is None or verb.i == sent.start:
        return None
    found = _amount_at(doc, verb.i + 1, sent.end)
    if found is None or found.kind not in _MISREAD[verb.lower_]:
        return None
    tail = doc[found.end : sent.end]
    old = None
    for t in tail[:-1]:
        if (t.lower_, doc[t.i + 1].lower_) in (("instead", "of"), ("rather", "than")):
            old = _amount_at(doc, t.i + 2, sent.end)
            tail = doc[found.end : t.i]
            break
    if any(t.pos_ in ("VERB", "AUX") for t in tail):
        return None
    start = sent.start
    for t in doc[sent.start : verb.i]:
        if t.text in (",", ":"):
            start = t.i + 1
    if start - sent.start > 7:
        return None
    toks = list(doc[start : verb.i])
    if not toks or toks[-1].pos_ in ("DET", "ADP", "NUM", "PRON") or toks[-1].tag_ == "POS":
        return None
    if any(t.pos_ in ("PRON", "AUX", "NUM") or t.lower_ in _DEICTIC or t.ent_type_ == "PERSON"
           for t in toks):  # fmt: skip
        return None
    if any(t.pos_ == "VERB" and t.i != toks[-1].i for t in toks):
        return None  # "The bike hire": only the last word may be a noun misread as a verb
    first_prep = next((t for t in toks if t.pos_ == "ADP" and t.tag_ != "POS"), None)
    head = toks[-1] if first_prep is None else doc[first_prep.i - 1]
    if head.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ"):  # "A haircut" misread too
        return None
    slot = (_np_slot(toks, head) if found.kind == "percent" or head.lemma_.lower() in _AMOUNT_NOUNS
            else (name, _BASE[found.kind]) if (name := _thing_name(toks)) else None)  # fmt: skip
    if slot is None:
        return None
    quals = [f"on {t.lower_}" for t in tail if t.lower_.rstrip("s") in _WEEKDAY_STEMS] + [
        f"{t.lower_} {_words(list(t.subtree)[1:])}" for t in tail
        if t.pos_ == "ADP" and t.lower_ not in _NOT_QUALIFIERS and t.dep_ == "prep"
    ]  # fmt: skip
    owner, attr = slot
    attr = " ".join([attr, *quals])
    why = ("cost",) if found.kind == "money" else ("length",)
    cues = _change_cues(sent.root, sent)
    return _clause(owner, attr, found.text, True, cues, old.text if old else None, why,
                   [str(owner)], explicit=old is not None)  # fmt: skip


# heading words that say which days or whom a value is for: "Saturday hours: ...", "Member
# prices: ...", "Weekend timetable: ..." (a season or "new" says when: "Winter hours: ...")
_HEADING_DAYS = _WEEKDAY_STEMS | {"holiday", "sunday", "bank"}
_HEADING_AUDIENCES = frozenset(
    ["member", "student", "child", "children", "kid", "senior", "group", "resident", "adult",
     "junior", "family", "concession", "nonmember"]
)  # fmt: skip


def heading_qualifier(doc: Any) -> str | None:
    """The qualifier a short heading before a colon puts on the sentence's value ("Saturday
    hours: the bakery opens at 8 am" is the Saturday opening time, "Member prices: a
    check-up costs £40" the members' price), as attribute words ("on saturday", "for
    member"); None without such a heading."""
    colon = next((t.i for t in doc[:6] if t.text == ":"), None)
    if colon is None or colon == 0:
        return None
    head = doc[:colon]
    if any(t.pos_ in ("VERB", "AUX") for t in head):
        return None
    words = [_singular(t.lower_) for t in head]
    day = next((w for w in words if w in _HEADING_DAYS), None)
    if day is not None:
        return f"on {day}"
    who = next((w for w in words if w in _HEADING_AUDIENCES), None)
    return f"for {who}" if who is not None else None
