"""An office handed over by a note that names the old holder (issue 11; `memory.named_holder`,
`memory.extract.handovers`): the old holder's one current fact in that office retires even
when the new note writes the owner as ours or not at all ("The podcast's producer is Noor
Haddad." then "Noor Haddad is no longer our producer; Ben Cole produces the show now."), and
hand-over wordings: "Y is our new R, taking over from X", "X stepped down as R in favour of
Y", "X retired; piano is now taught by Y", "X passed the baton to Y, the new R", "Y has taken
over from X as R". Each shape in three phrasings or more, in our own domains, with as many
must-keep-both pairs: another office, a longer office ("executive producer"), another owner
written, a stand-in ("for the weekend", "covering for"), modals, conditions, questions,
negations, the old holder doing something else, and an old holder of one office for two
owners.

Through the public Memory API on the real stack (spaCy, SQLite, the embedded store)."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from memory.retain import RetainResult
from tests.memory.conftest import (
    assert_keeps,
    assert_retires,
    day,
    real_memory_fixture,
)

pytestmark = pytest.mark.slow


mem = real_memory_fixture("named_holder")

CHANGES = [
    # our / no owner, the old holder named, the old fact under another owner
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad is no longer our producer; Ben Cole produces the show now."),
    ("The bakery's head baker is Ines Roa.",
     "Ines Roa is no longer our head baker; Marta Gil took over in May."),
    ("The gallery's curator is Jon Wise.",
     "The curator is no longer Jon Wise; Amy Lau took over last week."),
    ("The lab's safety officer is Priya Nair.",
     "Priya Nair stepped down as our safety officer; Omar Diaz took over."),
    ("The studio's sound engineer is Kai Berg.",
     "Kai Berg is no longer the sound engineer; Lina Voss took over in April."),
    # "Y is our new R, taking over from X"
    ("The podcast's producer is Noor Haddad.",
     "Ben Cole is our new producer, taking over from Noor Haddad."),
    ("The gallery's curator is Jon Wise.", "Amy Lau is the new curator, taking over from Jon Wise."),
    ("The club's treasurer is Ann Bly.", "Rob Hay becomes our treasurer, taking over from Ann Bly."),
    # "X stepped down as R in favour of Y"
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad stepped down as producer in favour of Ben Cole."),
    ("The lab's safety officer is Priya Nair.",
     "Priya Nair resigned as safety officer in favour of Omar Diaz."),
    ("The choir's director is Beth Kerr.", "Beth Kerr stood down as director in favour of Sean Reid."),
    # a departure, then the office's activity in the passive
    ("The school's piano teacher is Noor Haddad.",
     "Noor Haddad retired last month; piano is now taught by Ben Cole."),
    ("The youth team's coach is Dan Frost.",
     "Dan Frost retired in May; the youth team is now coached by Eli Stone."),
    ("The book club's lead is Ann Bly.",
     "Ann Bly stepped down, and the book club is now run by Rob Hay."),
    # "X passed the baton/keys/job to Y, the new R"
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad passed the baton to Ben Cole, the new producer."),
    ("The gallery's curator is Jon Wise.", "Jon Wise handed the keys to Amy Lau, our new curator."),
    ("The club's treasurer is Ann Bly.", "Ann Bly passed the job to Rob Hay, the new treasurer."),
    # "Y has taken over from X as R"
    ("The podcast's producer is Noor Haddad.", "Ben Cole has taken over from Noor Haddad as producer."),
    ("The gallery's curator is Jon Wise.", "Amy Lau took over from Jon Wise as our curator in May."),
    ("The club's treasurer is Ann Bly.", "Rob Hay has taken over as treasurer from Ann Bly."),
]  # fmt: skip

KEEPS = [
    # another office, a longer office, another owner written
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad is no longer our editor; Ben Cole took over."),
    ("The podcast's executive producer is Noor Haddad.",
     "Noor Haddad is no longer our producer; Ben Cole took over."),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad is no longer the radio show's producer; Ben Cole took over."),
    ("The podcast's producer is Noor Haddad.",
     "Ben Cole is our new editor, taking over from Noor Haddad."),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad stepped down as editor in favour of Ben Cole."),
    ("The school's piano teacher is Noor Haddad.",
     "Noor Haddad retired last month; violin is now taught by Ben Cole."),
    ("The youth team's coach is Dan Frost.",
     "Dan Frost retired in May; the senior team is now coached by Eli Stone."),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad passed the baton to Ben Cole, the new editor."),
    ("The podcast's producer is Noor Haddad.", "Ben Cole has taken over from Noor Haddad as editor."),
    # a stand-in, for a while
    ("The podcast's producer is Noor Haddad.",
     "Ben Cole is taking over from Noor Haddad for the weekend."),
    ("The podcast's producer is Noor Haddad.", "Ben Cole is our new producer, covering for Noor Haddad."),
    ("The gallery's curator is Jon Wise.",
     "Amy Lau is our new curator, taking over from Jon Wise for the summer."),
    ("The gallery's curator is Jon Wise.", "Amy Lau is covering for Jon Wise this week."),
    ("The podcast's producer is Noor Haddad.", "Ben Cole took over from Noor Haddad for the weekend."),
    # the old holder doing something else, no office named
    ("The podcast's producer is Noor Haddad.", "Noor Haddad produced the new album with Ben Cole."),
    ("The podcast's producer is Noor Haddad.", "Noor Haddad voted in favour of Ben Cole as producer."),
    ("The school's piano teacher is Noor Haddad.",
     "Noor Haddad is on leave; piano is now taught by Ben Cole."),
    ("The podcast's producer is Noor Haddad.", "Noor Haddad passed the ball to Ben Cole, the new producer."),
    ("The podcast's producer is Noor Haddad.", "Noor Haddad passed the baton to Ben Cole."),
    # modals, conditions, questions, negations
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad might not be our producer; Ben Cole could take over."),
    ("The podcast's producer is Noor Haddad.", "Is Noor Haddad no longer our producer?"),
    ("The podcast's producer is Noor Haddad.",
     "Ben Cole might be our new producer, taking over from Noor Haddad."),
    ("The podcast's producer is Noor Haddad.",
     "Is Ben Cole our new producer, taking over from Noor Haddad?"),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad might step down as producer in favour of Ben Cole."),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad did not step down as producer in favour of Ben Cole."),
    ("The school's piano teacher is Noor Haddad.",
     "If Noor Haddad retires, piano will be taught by Ben Cole."),
    ("The podcast's producer is Noor Haddad.",
     "Noor Haddad might pass the baton to Ben Cole, the new producer."),
    ("The podcast's producer is Noor Haddad.", "Ben Cole could take over from Noor Haddad as producer."),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_hand_over_naming_the_old_holder_retires_them(mem: Memory, old: str, new: str) -> None:
    assert_retires(mem, old, new)


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_statements_keep_the_old_holder(mem: Memory, old: str, new: str) -> None:
    assert_keeps(mem, old, new)


TWO_OWNERS = [
    # the named old holder holds the office for two owners: which one is handed over is unsaid
    ("The podcast's producer is Noor Haddad.", "The radio show's producer is Noor Haddad.",
     "Noor Haddad is no longer our producer; Ben Cole took over."),
    ("The gallery's curator is Jon Wise.", "The museum's curator is Jon Wise.",
     "Amy Lau is the new curator, taking over from Jon Wise."),
    ("The club's treasurer is Ann Bly.", "The choir's treasurer is Ann Bly.",
     "Ann Bly stepped down as treasurer in favour of Rob Hay."),
]  # fmt: skip


@pytest.mark.parametrize(("first", "second", "new"), TWO_OWNERS)
def test_one_holder_of_two_owners_offices_keeps_both(
    mem: Memory, first: str, second: str, new: str
) -> None:
    a, b, c = _two_owners_then(mem, "t", first, second, new)
    assert a.fact_ids and b.fact_ids and c.superseded == [], c.supersessions


OTHER_HOLDERS = [
    # two owners with their own holders: the named one's fact goes, the other's stays
    ("The podcast's producer is Noor Haddad.", "The radio show's producer is Ali Reza.",
     "Noor Haddad is no longer our producer; Ben Cole took over."),
    ("The gallery's curator is Jon Wise.", "The museum's curator is Eva Lind.",
     "Amy Lau is the new curator, taking over from Jon Wise."),
    ("The club's treasurer is Ann Bly.", "The choir's treasurer is Tom Lake.",
     "Ann Bly stepped down as treasurer in favour of Rob Hay."),
]  # fmt: skip


@pytest.mark.parametrize(("first", "second", "new"), OTHER_HOLDERS)
def test_the_named_holder_goes_and_another_owners_holder_stays(
    mem: Memory, first: str, second: str, new: str
) -> None:
    a, b, c = _two_owners_then(mem, "o", first, second, new)
    assert a.fact_ids and b.fact_ids and set(c.superseded) == set(a.fact_ids), c.supersessions


def _two_owners_then(
    mem: Memory, prefix: str, first: str, second: str, new: str
) -> tuple[RetainResult, RetainResult, RetainResult]:
    """`first` and `second` a day apart, then `new` a month later, in a bank of their own."""
    bank = f"{prefix}-{abs(hash((first, second, new)))}"
    a = mem.retain(first, mentioned_at=day("2025-03-01"), bank=bank)
    b = mem.retain(second, mentioned_at=day("2025-03-02"), bank=bank)
    return a, b, mem.retain(new, mentioned_at=day("2025-04-01"), bank=bank)
