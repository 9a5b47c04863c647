"""Changes whose new sentence names the old value in shapes the main readers did not read
(issue 11; `memory.extract.changes_named`), in our own wording and domains, through the public
Memory API on the real stack (spaCy, SQLite, the embedded store). Each shape in at least three
phrasings, with at least as many must-keep-both pairs: additive statements, another attribute
with the same old value, hypotheticals and conditions, another subject, another old value."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


mem = real_memory_fixture("change_names_old")

# a change verb taking an attribute or a thing from one value to another (swap, switch, change); the old value need not be an entity
FROM_TO = [
    (
        "The winter exhibit is Ancient Rome.",
        "We swapped the winter exhibit from Ancient Rome to The Vikings.",
    ),
    (
        "We package the granola in paper bags.",
        "We switched the granola from paper bags to glass jars.",
    ),
    (
        "The Friday special is Fish Pie.",
        "We changed the Friday special from Fish Pie to Lamb Stew.",
    ),
    (
        "We ship the catalogue in brown envelopes.",
        "We swapped the catalogue from brown envelopes to cardboard sleeves.",
    ),
]
FROM_TO_KEEPS = [
    ("The winter exhibit is Ancient Rome.", "We might swap the winter exhibit to The Vikings."),
    (
        "We package the granola in paper bags.",
        "We switched the muesli from paper bags to glass jars.",
    ),
    (
        "The Friday special is Fish Pie.",
        "We changed the Sunday special from Roast Beef to Lamb Stew.",
    ),
    (
        "The winter exhibit is Ancient Rome.",
        "If the loan falls through, we will swap the winter exhibit from Ancient Rome to The Vikings.",
    ),
]

# an office named by a possessive role noun or by "X's post as R", handed on by its named holder
HANDED = [
    ("The troop leader is Karen Holt.", "Karen Holt handed the troop leader's role to Sam Reyes."),
    ("The club bosun is Tom Frey.", "Tom Frey passed the bosun's job to Lena Park."),
    (
        "The parish warden is Alan Pike.",
        "Alan Pike gave the warden's post to Ruth Ng at the meeting.",
    ),
    (
        "The editor of the newsletter is Mr. Bose.",
        "Mr. Bose's role as editor of the newsletter went to Ms. Quinn.",
    ),
]
HANDED_KEEPS = [
    ("The club bosun is Tom Frey.", "Tom Frey handed the bosun's whistle to Lena Park."),
    ("The troop leader is Karen Holt.", "Karen Holt handed the trophy to Sam Reyes."),
    ("The parish warden is Alan Pike.", "Alan Pike might pass the warden's post to Ruth Ng."),
    (
        "The editor of the newsletter is Mr. Bose.",
        "Mr. Bose's role as editor of the yearbook went to Ms. Quinn.",
    ),
]

# "has a new R, N, replacing X" and "replacing X" / "who replaces X" on an office's new holder
REPLACING = [
    (
        "The head chef at Bramble House is Luis Ortega.",
        "Bramble House has a new head chef, Mei Lin, replacing Luis Ortega.",
    ),
    (
        "The club's treasurer is Joan Hart.",
        "The club has a new treasurer, Raj Patel, who replaces Joan Hart.",
    ),
    (
        "The museum's director is Anna Berg.",
        "The museum has a new director, Tomas Vik, replacing Anna Berg.",
    ),
    (
        "The museum's director is Anna Berg.",
        "Tomas Vik is the new director of the museum, replacing Anna Berg.",
    ),
]
REPLACING_KEEPS = [
    (
        "The museum's director is Anna Berg.",
        "The museum has a new curator, Tomas Vik, replacing Lars Dahl.",
    ),
    (
        "The head chef at Copper Pot is Luis Ortega.",
        "Bramble House has a new head chef, Mei Lin, replacing Luis Ortega.",
    ),
    (
        "The club's treasurer is Joan Hart.",
        "The club may get a new treasurer, Raj Patel, replacing Joan Hart.",
    ),
    (
        "The club's treasurer is Joan Hart.",
        "The club has a new secretary, Raj Patel, replacing Joan Hart.",
    ),
]

# "stopped / quit V-ing X and V Y instead", "dropped X and get ... from Y now"
INSTEAD = [
    (
        "The bakery buys its flour from Millers Ltd.",
        "The bakery stopped buying from Millers Ltd and buys its flour from Hartwell instead.",
    ),
    ("We use Trello for planning.", "We stopped using Trello and use Asana instead."),
    (
        "The clinic orders its gloves from MedCo.",
        "The clinic quit ordering from MedCo and orders its gloves from Sterix instead.",
    ),
    ("Our paper supplier is Acme.", "We dropped Acme and get our paper from Papyrus now."),
]
INSTEAD_KEEPS = [
    ("The bakery buys its flour from Millers Ltd.", "The bakery also buys rye from Hartwell."),
    ("We use Trello for planning.", "We stopped using Slack and use Discord instead."),
    (
        "The bakery buys its flour from Millers Ltd.",
        "The bakery might stop buying from Millers Ltd and buy from Hartwell instead.",
    ),
    (
        "The bakery buys its flour from Millers Ltd.",
        "The café stopped buying from Millers Ltd and buys from Hartwell instead.",
    ),
    (
        "Our paper supplier is Acme.",
        "We dropped Acme off at the depot and get our paper from Papyrus now.",
    ),
]

# a named holder's departure ("X's term ended", "X stepped down", "X retired as R and was succeeded by Y") joined to the new holder
DEPARTED = [
    (
        "The cricket club chair is Dev Shah.",
        "Dev Shah's term is over, and Nina Roy now chairs the cricket club.",
    ),
    (
        "The choir's director is Ruth Kim.",
        "Ruth Kim stepped down, and Omar Said is now the choir's director.",
    ),
    (
        "The parish council chair is Len Ward.",
        "Len Ward's tenure ended in May; Jo Price now chairs the parish council.",
    ),
    (
        "The practice manager is Gail Ross.",
        "Gail Ross retired as practice manager and was succeeded by Tim Orr.",
    ),
]
DEPARTED_KEEPS = [
    (
        "The choir's director is Ruth Kim.",
        "Ruth Kim's term as treasurer ended; Omar Said now chairs the choir.",
    ),
    (
        "The cricket club chair is Dev Shah.",
        "Dev Shah's contract ended; Nina Roy now coaches the juniors.",
    ),
    (
        "The choir's director is Ruth Kim.",
        "If Ruth Kim steps down, Omar Said becomes the choir's director.",
    ),
    (
        "The practice manager is Gail Ross.",
        "Gail Ross retired as practice nurse and was succeeded by Tim Orr.",
    ),
]

# "no longer X but Y" and "X is no longer the R; Y has the job"
NO_LONGER = [
    ("The head gardener is Fern Walsh.", "The head gardener is no longer Fern Walsh but Ian Bell."),
    ("Our courier is DPD.", "Our courier is no longer DPD but Evri."),
    ("The quizmaster is Mr. Hale.", "Mr. Hale is no longer the quizmaster; Ms. Dunn has the job."),
    ("The ferry captain is Ola Berg.", "The ferry captain is no longer Ola Berg but Jan Moe."),
]
NO_LONGER_KEEPS = [
    (
        "The head gardener is Fern Walsh.",
        "The head gardener's assistant is no longer Tom Cobb but Ian Bell.",
    ),
    ("Our courier is DPD.", "Our printer is no longer Xerox but Canon."),
    ("Our courier is DPD.", "Our printer is no longer Xerox."),
    ("The quizmaster is Mr. Hale.", "Mr. Hale is no longer the treasurer; Ms. Dunn has the job."),
]

# a change verb with "so it is no longer X" (X is the old value, not the change's own value)
SO_NO_LONGER = [
    (
        "We write the billing service in Java.",
        "We rewrote the billing service in Go, so it is no longer Java.",
    ),
    (
        "We host the wiki on Confluence.",
        "We moved the wiki to Notion, so it is no longer Confluence.",
    ),
    ("We build the app in Flutter.", "We rebuilt the app in Kotlin, so it is no longer Flutter."),
]
SO_NO_LONGER_KEEPS = [
    ("We use Go for tooling.", "We rewrote the billing service in Go, so it is no longer Java."),
    (
        "We write the billing service in Java.",
        "We rewrote the reports service in Go, so it is no longer Java.",
    ),
    (
        "We host the wiki on Confluence.",
        "We might move the wiki to Notion, so it would no longer be Confluence.",
    ),
]

# a relative clause telling who held the office before ("which Hamid managed")
HELD_BEFORE = [
    (
        "Sofia runs the Elm Street shop.",
        "The Elm Street shop, which Sofia ran for a decade, is now run by Marco.",
    ),
    (
        "Bruno manages the night shift.",
        "The night shift, which Bruno managed until June, is now managed by Dana.",
    ),
    ("Kai leads the design team.", "The design team, which Kai led for years, is now led by Ines."),
]
HELD_BEFORE_KEEPS = [
    (
        "Sofia runs the Elm Street shop.",
        "The Elm Street shop, which Sofia opened in 2010, now sells bread too.",
    ),
    (
        "Sofia runs the Elm Street shop.",
        "The Oak Road shop, which Sofia ran briefly, is now run by Marco.",
    ),
    ("Kai leads the design team.", "The design team, which Kai founded, is now based in Oslo."),
]

# "the 1.2 m one": the subject's noun at another measure is the old value
PRO_ONE = [
    (
        "Our main van is the 3 tonne van.",
        "The 7 tonne van replaced the 3 tonne one as our main van.",
    ),
    ("The main oven is the 60 cm oven.", "The 90 cm oven replaced the 60 cm one as our main oven."),
    (
        "Our default lens is the 50 mm lens.",
        "The 35 mm lens replaced the 50 mm one as our default lens.",
    ),
]
PRO_ONE_KEEPS = [
    (
        "Our main van is the 3 tonne van.",
        "The 7 tonne van replaced the 5 tonne one as our main van.",
    ),
    (
        "The main oven is the 60 cm oven.",
        "The 90 cm oven might replace the 60 cm one as our main oven.",
    ),
    (
        "Our main van is the 3 tonne van.",
        "The 7 tonne lorry replaced the 3 tonne one as the depot's main lorry.",
    ),
]

CHANGES = (
    FROM_TO
    + HANDED
    + REPLACING
    + INSTEAD
    + DEPARTED
    + NO_LONGER
    + SO_NO_LONGER
    + HELD_BEFORE
    + PRO_ONE
)
KEEPS = (
    FROM_TO_KEEPS
    + HANDED_KEEPS
    + REPLACING_KEEPS
    + INSTEAD_KEEPS
    + DEPARTED_KEEPS
    + NO_LONGER_KEEPS
    + SO_NO_LONGER_KEEPS
    + HELD_BEFORE_KEEPS
    + PRO_ONE_KEEPS
)


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_change_naming_the_old_value_supersedes(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, why = retain_pair(mem, f"c-{abs(hash((old, new)))}", old, new)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why and why[0].get("rule") and why[0].get("slot"), why


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_statements_keep_the_old_value(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, _ = retain_pair(mem, f"k-{abs(hash((old, new)))}", old, new)
    assert old_ids and retired == [], (old, new)


def test_the_reason_names_the_old_and_new_value(mem: Memory) -> None:
    _, retired, why = retain_pair(
        mem, "reason", "Our courier is DPD.", "Our courier is no longer DPD but Evri."
    )
    assert retired and why[0]["old_value"] == "DPD" and why[0]["new_value"] == "Evri", why
    assert "no longer ... but" in why[0]["cues"], why
