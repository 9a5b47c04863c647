"""Single-valued amounts that change without repeating the old value (issue 11): prices,
lengths, counts and times, stated with a change verb onto the new amount ("has gone up to
£52", "was cut from $30 to $25", "is down to 62 families"), restated with "now" or in the
progressive, after a fronted time, cause or heading ("From Monday, ...", "Following the
renovation, ...", "Price update: ..."), or with "instead of" / "rather than" the old amount.
A careful note-taker takes the new amount as the current one. The must-nots: another thing's
amount (a day pass, the audio guide), another attribute of the same thing (the first ferry,
Saturdays, for students, a day instead of an hour, a length instead of a price), questions,
modals, negations, conditions, and past one-off occasions with numbers.

Real stack through `Memory` (spaCy, SQLite, the embedded store), plus the parse-level
readings (`memory.extract.amounts`) and the pure kind check (`amount_kind`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.extract.amounts import amount_kind, heading_qualifier, kinds_clash
from memory.extract.clauses import needs_parse, read_clause
from memory.extract.nlp import parse
from memory.memory import Memory
from memory.slot_meaning import best_by_meaning
from tests.memory.conftest import assert_keeps, assert_retires, real_memory_fixture

mem = real_memory_fixture("amount-changes")


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


CHANGES = [
    ("The museum ticket costs €14.", "The museum ticket has gone up to €16."),
    ("A dental cleaning costs $90.", "A dental cleaning went up to $110."),
    ("The monthly gym membership is $35.", "The monthly gym membership rose to $39."),
    ("The parking permit costs £120.", "The parking permit was raised to £150."),
    ("The waiting list has 80 families.", "The waiting list is down to 62 families."),
    ("The shelter houses 40 dogs.", "The shelter is up to 48 dogs."),
    ("The river cruise lasts 90 minutes.", "The river cruise has been extended to two hours."),
    ("The lunch break is 30 minutes.", "The lunch break was cut to 20 minutes."),
    ("The bus fare is $2.50.", "The bus fare increased to $2.75."),
    ("The mortgage rate is 4.5%.", "The mortgage rate fell to 4.1%."),
    ("A swimming lesson costs $18.", "A swimming lesson dropped to $15."),
    ("The kayak rental costs $30.", "The kayak rental was cut from $30 to $25."),
    ("Parking at the clinic is free.", "Parking at the clinic now costs $3."),
    ("Entry to the gallery is free.", "Entry to the gallery now costs €8."),
    ("The airport shuttle is free.", "The airport shuttle now costs $5."),
    ("The depot runs 14 vans.", "The depot is now running 11 vans."),
    ("The orchard employs 25 pickers.", "The orchard is now employing 30 pickers."),
    ("The clinic sees 40 patients a day.", "The clinic now sees 55 patients a day."),
    ("The choir has 32 singers.", "The choir now has 28 singers."),
    ("The hatchery raises 5,000 trout.", "The hatchery is now raising 7,000 trout."),
    ("The pool opens at 7 am.", "From Monday, the pool opens at 6:30 am."),
    ("The pool opens at 7 am.", "As of June, the pool opens at 6:30 am."),
    ("The library closes at 8 pm.", "Starting next week, the library closes at 9 pm."),
    ("The farm shop is open until 5 pm.", "This season the farm shop is open until 7 pm."),
    ("The marathon has 7,500 runners.", "This year the marathon has 9,000 runners."),
    (
        "The vineyard has 12 hectares of vines.",
        "After the new planting, the vineyard has 15 hectares of vines.",
    ),
    ("The apiary has 24 hives.", "Since the winter losses, the apiary has 18 hives."),
    ("The firm employs 350 staff.", "Following the merger, the firm employs 420 staff."),
    ("The museum closes at 6 pm.", "Winter hours: the museum closes at 4 pm."),
    ("A haircut costs £24.", "New prices: a haircut costs £28."),
    ("The ferry leaves at 7:00.", "The ferry leaves at 7:15 instead of 7:00."),
    ("Lunch is served at 12:00.", "Lunch is now served at 12:30 rather than 12:00."),
    ("The workshop lasts 2 hours.", "The workshop lasts 3 hours instead of 2."),
    ("A check-up at the vet costs £45.", "A check-up at the vet has gone up to £52."),
    ("The ferry crossing takes 40 minutes.", "The ferry crossing now takes 55 minutes."),
    ("A night at the hostel costs €28.", "A night at the hostel went up to €32."),
    ("The annual subscription is £60.", "The annual subscription was cut to £48."),
    ("The tasting menu costs $95.", "The tasting menu now costs $110."),
    ("The guided walk lasts two hours.", "The guided walk was shortened to 90 minutes."),
    (
        "The probation period is six months.",
        "The probation period has been extended to nine months.",
    ),
    ("The kennel holds 30 dogs.", "The kennel is now down to 22 dogs."),
    ("The youth hostel sleeps 60 guests.", "The youth hostel is up to 75 guests."),
    ("A litre of milk costs 90p.", "A litre of milk rose to £1.05."),
    ("The school bus is free.", "The school bus now costs £2 a day."),
    ("The espresso costs €2.", "The espresso costs €2.40 instead of €2."),
    ("The bike hire costs £15 an hour.", "The bike hire went up to £18 an hour."),
    ("Piano lessons cost $40.", "Piano lessons went up to $45."),
    ("The express wash costs $12.", "As of May, the express wash costs $14."),
    ("The express wash costs $12.", "From next month, the express wash costs $14."),
    (
        "Loans from the library last three weeks.",
        "Loans from the library last four weeks from January.",
    ),
    ("The boat tour costs $30.", "Price update: the boat tour costs $34."),
    ("The ticket to the show costs £20.", "The ticket to the show rose from £20 to £25."),
    ("The sauna session costs €10.", "Following the renovation, the sauna session costs €13."),
    ("The entry fee is €10.", "The council raised the entry fee to €12."),
    ("The guided walk lasts two hours.", "The organisers shortened the guided walk to 90 minutes."),
    # times, after a fronted cause or a heading
    ("The last ferry leaves at 21:30.", "The last ferry has been moved to 22:15."),
    ("The library closes at 8 pm.", "The library now closes at 9 pm."),
    ("Standup is at 9:30.", "Standup is at 10:00 instead of 9:30."),
    ("The clinic opens at 8 am.", "Since the staff shortage, the clinic opens at 9 am."),
    ("The bakery opens at 7 am.", "Summer hours: the bakery opens at 6 am."),
    ("The choir has 32 singers.", "After the auditions, the choir has 36 singers."),
    ("The crossing takes 40 minutes.", "With the new boat, the crossing takes 30 minutes."),
]
# another thing, another attribute, no stated value, one past occasion
KEEPS = [
    ("The vineyard has 12 oak barrels.", "The vineyard has 12 hectares of vines."),
    ("The vineyard has 12 oak barrels.", "The vineyard has gone up to 15 hectares of vines."),
    ("The last ferry leaves at 21:30.", "The first ferry now leaves at 6:50."),
    ("The café closes at 8 pm on Thursdays.", "The café now closes at 6 pm on Saturdays."),
    ("The first ferry leaves at 7:10.", "Could the first ferry leave at 6:50?"),
    ("The museum ticket costs €14.", "The museum ticket might go up to €18."),
    ("The museum ticket costs €14.", "The museum ticket did not go up to €18."),
    ("A season pass costs £400.", "A day pass has gone up to £35."),
    ("The depot runs 14 vans.", "The crew washed 11 vans on Friday."),
    ("The pool opens at 7 am.", "From Monday, the gym opens at 6 am."),
    ("The firm employs 350 staff.", "Following the merger, the firm hired 40 staff."),
    ("The museum closes at 6 pm.", "Winter hours: the café closes at 4 pm."),
    ("The bus fare is $2.50.", "The train fare went up to $4."),
    ("Adult tickets cost $12.", "Tickets for children went up to $8."),
    ("The membership fee is $40.", "The membership fee could rise to $50."),
    ("The clinic sees 40 patients a day.", "The clinic saw 55 patients on Tuesday."),
    ("The pool opens at 7 am.", "The children's pool opens at 9 am instead of 8 am."),
    ("The gym has 20 treadmills.", "The gym is now running 3 spin classes."),
    ("Parking at the clinic is free.", "Parking at the station now costs $3."),
    ("The depot runs 14 vans.", "The depot is now washing 11 vans."),
    ("The bike hire costs £15 an hour.", "The bike hire costs £60 a day."),
    ("A check-up costs £45 for members.", "A check-up costs £60 for non-members."),
    ("The room costs $90 in summer.", "The room costs $60 in winter."),
    ("The tasting menu costs $95.", "The wine pairing costs $45."),
    ("The tasting menu costs $95.", "The tasting menu cost $80 last year."),
    ("The tasting menu costs $95.", "Will the tasting menu go up to $110?"),
    ("The tasting menu costs $95.", "If costs rise, the tasting menu will go up to $110."),
    ("The tasting menu costs $95.", "The tasting menu did not go up to $110 after all."),
    ("The guided walk lasts two hours.", "The guided walk costs £12."),
    ("The guided walk lasts two hours.", "The bus tour lasts three hours."),
    ("The kennel holds 30 dogs.", "The kennel held 45 dogs during the show."),
    ("The kennel holds 30 dogs.", "The kennel holds 12 cats."),
    ("The kennel holds 30 dogs.", "The kennel can hold up to 40 dogs."),
    ("The school bus is free.", "The school trip now costs £25."),
    ("The espresso costs €2.", "The latte costs €2.40 instead of €3."),
    (
        "The ferry crossing takes 40 minutes.",
        "The crossing to the island took 55 minutes on Tuesday.",
    ),
    ("The annual subscription is £60.", "The monthly subscription was cut to £5."),
    ("Adult tickets cost $12.", "Child tickets cost $6."),
    ("The tasting menu costs $95.", "It now costs $110."),
    ("The tasting menu costs $95.", "The tasting menu may rise to $110."),
    ("The first ferry leaves at 6:50.", "The last ferry leaves at 23:10."),
    ("The pool closes at 9 pm on Fridays.", "The pool now closes at 7 pm on Sundays."),
    ("The tasting menu costs $95.", "These menus cost $110."),
    ("The gym opens at 6 am on weekdays.", "From Monday, the gym opens at 8 am on weekends."),
    ("The espresso costs €2.", "Two espressos cost €4."),
    ("The youth hostel sleeps 60 guests.", "The youth hostel served 75 guests at the festival."),
    ("Parking at the museum is free.", "Parking at the museum is free on Sundays."),
    ("The boat tour costs $30.", "Children under five: the boat tour costs $10."),
    ("The entry fee is €10.", "The council raised the parking fee to €12."),
    ("The crossing takes 40 minutes.", "The crossing took 70 minutes in the storm."),
    ("The museum ticket costs €14.", "The audio guide went up to €5."),
    ("The bike hire costs £15 an hour.", "The boat hire went up to £25 an hour."),
    ("The river cruise lasts 90 minutes.", "The river cruise costs £18."),
    ("The lunch break is 30 minutes.", "The coffee break was cut to 10 minutes."),
    ("A haircut costs £24.", "A beard trim costs £10."),
    ("The shelter houses 40 dogs.", "The shelter housed 55 dogs last winter."),
    ("The tasting menu costs $95.", "The tasting menu would cost $110 with wine."),
    ("The kayak rental costs $30.", "The kayak rental was not cut to $25."),
    ("The museum ticket costs €14.", "The museum ticket costs €9 for students."),
    # another ferry, day or shop; one day's opening; a modal
    ("The last ferry leaves at 21:30.", "The first ferry has been moved to 6:50."),
    ("The library closes at 8 pm on weekdays.", "The library now closes at 5 pm on Saturdays."),
    ("The clinic opens at 8 am.", "The clinic opened at 10 am on Monday because of the strike."),
    ("The clinic opens at 8 am.", "The pharmacy now opens at 9 am."),
    ("The bakery opens at 7 am.", "Saturday hours: the bakery opens at 8 am."),
    ("The choir has 32 singers.", "The choir sang 12 songs at the concert."),
    ("The crossing takes 40 minutes.", "The crossing might take 60 minutes in a storm."),
]


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_changed_amount_supersedes_the_old_one(mem: Memory, old: str, new: str) -> None:
    assert_retires(mem, old, new)


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_amounts_keep_the_old_one(mem: Memory, old: str, new: str) -> None:
    assert_keeps(mem, old, new)


def _reading(text: str) -> tuple[str, str, str | None, str | None] | None:
    c = next((c for s in parse(text).sents if (c := read_clause(s))), None)
    if c is None or not c.functional:
        return None
    return c.subject, c.attribute, c.value, c.change.old if c.change else None


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        # a thing's price, with its own qualifiers kept; the small parser's "costs" as a noun
        ("A check-up at the vet costs £45.", ("check-up at the vet", "cost", "£45", None)),
        ("A haircut costs £24.", ("haircut", "cost", "£24", None)),
        ("The bike hire costs £15 an hour.", ("bike hire", "cost", "£15 an hour", None)),
        ("Parking at the clinic is free.", ("Parking at the clinic", "cost", "free", None)),
        ("Entry is free of charge.", ("Entry", "cost", "free", None)),
        ("A check-up costs £45 for members.", ("check-up", "cost for members", "£45", None)),
        ("The room costs $90 in summer.", ("room", "cost in summer", "$90", None)),
        ("Netflix costs $15.99 a month.", ("Netflix", "cost", "$15.99 a month", None)),
        # the change onto a new amount, however "up to €16" is parsed
        ("A check-up at the vet has gone up to £52.",
         ("check-up at the vet", "cost", "£52", None)),
        ("The kayak rental was cut from $30 to $25.", ("kayak rental", "cost", "$25", "$30")),
        ("The espresso costs €2.40 instead of €2.", ("espresso", "cost", "€2.40", "€2")),
        # a date on a change says when; a recurring day says which
        ("The coverage drops to 70 per cent in January.", ("we", "coverage", "70 per cent", None)),
        ("The lesson went up to £18 on Saturdays.", ("lesson", "cost on saturdays", "£18", None)),
        # a noun that names the amount is its owner's attribute, as "The bus fare is $2.50"
        ("The bus fare increased to $2.75.", ("we", "bus fare", "$2.75", None)),
        ("The council raised the entry fee to €12.", ("we", "entry fee", "€12", None)),
        # lengths and counts
        ("The crossing takes 40 minutes.", ("crossing", "length", "40 minutes", None)),
        ("Loans from the library last three weeks.",
         ("Loans from the library", "length", "three weeks", None)),
        ("The river cruise has been extended to two hours.",
         ("river cruise", "length", "two hours", None)),
        ("The waiting list is down to 62 families.", ("waiting list", "count of family", "62", None)),
        ("The youth hostel is up to 75 guests.", ("youth hostel", "count of guest", "75", None)),
        ("The shelter houses 40 dogs.", ("shelter", "count of dog", "40", None)),
    ],
)  # fmt: skip
def test_amount_readings(text: str, reading: tuple[str, str, str, str | None]) -> None:
    assert needs_parse(text)
    assert _reading(text) == reading


@pytest.mark.parametrize(
    "text",
    [
        "The tasting menu cost $80 last year.",  # one past occasion
        "The tasting menu might go up to $110.",
        "The tasting menu did not go up to $110.",
        "Will the tasting menu go up to $110?",
        "The kennel can hold up to 40 dogs.",  # a capacity, under a modal
        "The kennel held 45 dogs during the show.",
        "It now costs $110.",  # no antecedent read here
        "These menus cost $110.",  # deictic
        "Two espressos cost €4.",  # a counted subject
        "Christmas is a day for family.",  # "a day" is no length stated
        "The detergent is free of harsh chemicals.",  # free of something, not of charge
        "Water lilies grow quite large (up to 20 inches across).",  # "to" not the verb's
        "The hall can seat 200 guests.",  # a capacity
        "The bread is free from gluten.",
        "Sustainable fashion is a term that refers to clothing.",
    ],
)
def test_no_single_valued_amount(text: str) -> None:
    assert _reading(text) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("£52", "money"), ("2.5 million euros", "money"), ("90p", "money"), ("free", "money"),
        ("£15 an hour", "money/hour"), ("$60 a day", "money/day"), ("4.1%", "percent"),
        ("two hours", "duration"), ("90 minutes", "duration"), ("6:30 am", "clock"),
        ("62 families", "count:family"), ("Father Kim", None), ("March 17", None), ("12", None),
        ("17 March", None), ("the 15th", None),
    ],
)  # fmt: skip
def test_amount_kind(value: str, kind: str | None) -> None:
    assert amount_kind(value) == kind


def test_kinds_clash() -> None:
    assert kinds_clash("$40", "90 minutes")  # a price and a length of one tour
    assert kinds_clash("£15 an hour", "£60 a day")
    assert not kinds_clash("free", "£2 a day")  # "free" is a price at any rate
    assert not kinds_clash("12 engineers", "14 people")  # counts of one team
    assert not kinds_clash("Father Doyle", "Father Kim")


def test_contrasting_qualifiers_are_not_one_attribute() -> None:
    def same(texts: list[str]) -> list[list[float]]:
        return [[1.0] for _ in texts]  # every phrase alike: only structure can tell

    old = [("close on thursday time", "8 pm")]
    assert best_by_meaning("close on saturday time", "6 pm", old, same) is None
    assert (
        best_by_meaning("last ferry leave time", "6:50", [("first ferry leave time", "7:10")], same)
        is None
    )
    assert (
        best_by_meaning("shop close time", "6 pm", [("store close time", "8 pm")], same) is not None
    )


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Saturday hours: the bakery opens at 8 am.", "on saturday"),
        ("Weekend prices: a kayak costs $40.", "on weekend"),
        ("Member prices: a check-up costs £40.", "for member"),
        ("Winter hours: the museum closes at 4 pm.", None),  # a season says when, not which
        ("Price update: the boat tour costs $34.", None),
        ("Assistant: The pro plan costs 20 dollars a month.", None),
        ("The bakery opens at 8 am on Saturdays.", None),
    ],
)
def test_heading_qualifier(text: str, qualifier: str | None) -> None:
    assert heading_qualifier(parse(text)) == qualifier


def test_the_last_ferry_is_not_the_ferry() -> None:
    # the small parser hangs "last" on the verb: it stays in the subject
    assert _reading("The last ferry leaves at 21:30.") == (
        "last ferry",
        "when leave",
        "21:30",
        None,
    )
