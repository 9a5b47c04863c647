"""A twelfth labelled set for `bench.semantics` (`--split set12`), held back by the lead.

Written on 2026-12-08 (session 31) after set11's shapes had been described to the day's second
round of helpers, and shown to no one tuning rules. Domains not used before (a bowling alley, a
glassworks, an allotment society, a hackspace, a tram line, a chess café, a blood bank, a
bridal shop, a mountain hut, a circus school, a print library, a dog rescue, a recording
studio, a lighthouse trust, a cooperative bakery). As many must-not cases as positives.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- bowling alley
    ("A game at Strike Lanes costs £6.", "Strike Lanes put the price of a game up to £7.", True),
    ("The bowling alley's duty manager is Rob Kemp.", "Rob Kemp has moved to the Leeds branch; Tanya Bose is duty manager here now.", True),
    ("A game at Strike Lanes costs £6.", "Shoe hire at Strike Lanes costs £2.", False),
    ("The bowling alley's duty manager is Rob Kemp.", "Rob Kemp fixed lane 4.", False),
    # --- glassworks
    ("The glassworks' furnace runs at 1,100 degrees.", "The furnace now runs at 1,150 degrees after the upgrade.", True),
    ("The glassworks sells through Etsy.", "The glassworks left Etsy and sells through its own shop now.", True),
    ("The glassworks' furnace runs at 1,100 degrees.", "The annealing oven runs at 500 degrees.", False),
    ("The glassworks sells through Etsy.", "The glassworks also sells at craft fairs.", False),
    # --- allotment society
    ("The allotment society's secretary is June Pratt.", "June Pratt gave up the secretary's job and Vikram Das was elected in her place.", True),
    ("The society has 48 plots.", "The society has 52 plots since the extension opened.", True),
    ("The allotment society's secretary is June Pratt.", "June Pratt won best marrow.", False),
    ("The society has 48 plots.", "The society has 48 water butts.", False),
    ("The allotment society's secretary is June Pratt.", "Vikram Das may stand for secretary next year.", False),
    # --- hackspace
    ("The hackspace is open on Tuesday evenings.", "The hackspace is now open on Wednesday evenings instead of Tuesdays.", True),
    ("The hackspace's laser cutter is a K40.", "The K40 was swapped for a Glowforge as the hackspace's laser cutter.", True),
    ("The hackspace is open on Tuesday evenings.", "The hackspace is also open on Saturday mornings.", False),
    ("The hackspace's laser cutter is a K40.", "The hackspace's 3D printer is a Prusa.", False),
    # --- tram line
    ("Trams on line 2 run every 10 minutes.", "Trams on line 2 run every 8 minutes from December.", True),
    ("Line 2 terminates at Parkside.", "Line 2 has been extended and now terminates at Riverside.", True),
    ("Trams on line 2 run every 10 minutes.", "Trams on line 3 run every 12 minutes.", False),
    ("Line 2 terminates at Parkside.", "Line 2 stops at Parkside on weekends only during works.", False),
    # --- chess café
    ("The chess café's owner is Boris Lenk.", "The chess café changed hands: Boris Lenk sold it to Amina Yusuf.", True),
    ("Membership of the chess café is £15 a month.", "Membership of the chess café is £18 a month from January.", True),
    ("The chess café's owner is Boris Lenk.", "Boris Lenk beat the visiting grandmaster.", False),
    ("Membership of the chess café is £15 a month.", "A coffee at the chess café is £3.", False),
    # --- blood bank
    ("The blood bank's lead nurse is Marta Silva.", "Marta Silva has retired; the new lead nurse is Paul Okoye.", True),
    ("The blood bank opens at 8 am.", "The blood bank now opens at 7:30 am.", True),
    ("The blood bank's lead nurse is Marta Silva.", "The blood bank's night nurse is Paul Okoye.", False),
    ("The blood bank opens at 8 am.", "The blood bank opened a mobile unit in May.", False),
    # --- bridal shop
    ("The bridal shop's head seamstress is Lily Chen.", "Lily Chen left in March, and Dora Vance has been head seamstress since.", True),
    ("A fitting appointment lasts 90 minutes.", "A fitting appointment now lasts an hour.", True),
    ("The bridal shop's head seamstress is Lily Chen.", "Lily Chen altered the veil.", False),
    ("A fitting appointment lasts 90 minutes.", "A consultation lasts 30 minutes.", False),
    # --- mountain hut
    ("The mountain hut sleeps 24.", "The mountain hut sleeps 30 after the new bunk room.", True),
    ("The hut warden is Franz Egger.", "Franz Egger handed the hut over to his daughter Anna Egger this summer.", True),
    ("The mountain hut sleeps 24.", "The winter room sleeps 6.", False),
    ("The hut warden is Franz Egger.", "Franz Egger carried the supplies up.", False),
    # --- circus school
    ("The circus school's trapeze coach is Nico Varga.", "The trapeze is now coached by Elsa Brandt, who took over from Nico Varga.", True),
    ("The circus school trains in the old tram depot.", "The circus school moved out of the old tram depot into the Drill Hall.", True),
    ("The circus school's trapeze coach is Nico Varga.", "The circus school's juggling coach is Elsa Brandt.", False),
    ("The circus school trains in the old tram depot.", "The circus school stores its rigging in the old tram depot.", False),
    # --- dog rescue
    ("The dog rescue houses 35 dogs.", "The dog rescue is down to 28 dogs after the adoption day.", True),
    ("The dog rescue's vet is Dr Kay Moss.", "Dr Kay Moss no longer looks after the rescue's dogs; Dr Ian Frost does.", True),
    ("The dog rescue houses 35 dogs.", "The dog rescue houses 12 cats.", False),
    ("The dog rescue's vet is Dr Kay Moss.", "Dr Kay Moss gave a talk on worming.", False),
    ("The dog rescue houses 35 dogs.", "Could the dog rescue house 40 dogs?", False),
    # --- recording studio
    ("Studio A costs £50 an hour.", "Studio A now costs £60 an hour.", True),
    ("The studio's house engineer is Gus Hale.", "Gus Hale went freelance; Rhea Moon replaced him as house engineer.", True),
    ("Studio A costs £50 an hour.", "Studio B costs £35 an hour.", False),
    ("The studio's house engineer is Gus Hale.", "Gus Hale mixed the live album.", False),
    # --- lighthouse trust
    ("The lighthouse trust's chair is Ewan Ross.", "Ewan Ross's term as chair ended and Isla Munro was voted in.", True),
    ("Tours of the lighthouse run on Sundays.", "Tours of the lighthouse run on Saturdays now.", True),
    ("The lighthouse trust's chair is Ewan Ross.", "Ewan Ross painted the lamp room.", False),
    ("Tours of the lighthouse run on Sundays.", "Tours of the keeper's cottage run on Sundays.", False),
    # --- cooperative bakery
    ("The bakery co-op buys flour from Marriage's.", "The bakery co-op buys flour from Doves Farm now, not Marriage's.", True),
    ("The co-op has 9 worker-members.", "The co-op has grown to 11 worker-members.", True),
    ("The bakery co-op buys flour from Marriage's.", "The bakery co-op buys butter from Marriage's.", False),
    ("The co-op has 9 worker-members.", "The co-op has 9 ovens.", False),
    ("The bakery co-op buys flour from Marriage's.", "The bakery co-op is thinking of buying flour from Doves Farm.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Tanya Bose manages the bowling alley."], "Ms Bose closed lane 6.", "Ms Bose", "Tanya Bose"),
    (["Vikram Das is the allotment secretary."], "V. Das sent the minutes.", "V. Das", "Vikram Das"),
    (["Amina Yusuf owns the chess café."], "Amina hosted the blitz night.", "Amina", "Amina Yusuf"),
    (["Patrick Okoye leads the blood bank nurses."], "Pat Okoye checked the fridges.", "Pat Okoye", "Patrick Okoye"),
    (["Dorothy Vance runs the bridal workroom."], "Dot Vance pinned the hem.", "Dot Vance", "Dorothy Vance"),
    (["Anna Egger runs the mountain hut."], "Egger radioed the rescue team.", "Egger", "Anna Egger"),
    (["Elsa Brandt coaches the trapeze."], "E. Brandt rigged the net.", "E. Brandt", "Elsa Brandt"),
    (["Dr Ian Frost treats the rescue's dogs."], "Ian Frost vaccinated the puppies.", "Ian Frost", "Ian Frost"),
    (["Rhea Moon engineers at the studio."], "Rhea set up the drum mics.", "Rhea", "Rhea Moon"),
    (["Isla Munro chairs the lighthouse trust."], "Mrs Munro signed the grant.", "Mrs Munro", "Isla Munro"),
    (["Richard Kemp repairs the bowling machines."], "Rick Kemp oiled lane 2.", "Rick Kemp", "Richard Kemp"),
    (["Susan Pratt keeps the allotment accounts."], "Sue Pratt paid the water bill.", "Sue Pratt", "Susan Pratt"),
    (["Nicholas Varga trains the acrobats."], "Nick Varga taught the handstands.", "Nick Varga", "Nicholas Varga"),
    (["Gus Hale mixes the albums."], "Hale mastered the single.", "Hale", "Gus Hale"),
    (["Ewan Ross guides the lighthouse tours."], "Ewan led the Sunday tour.", "Ewan", "Ewan Ross"),
    # --- different people: must not merge
    (["Tanya Bose manages the bowling alley."], "Tanya Bosch serves at the bar.", "Tanya Bosch", None),
    (["Vikram Das is the allotment secretary."], "Vikram Dass grows the leeks.", "Vikram Dass", None),
    (["Amina Yusuf owns the chess café."], "Amira Yusuf bakes the cakes.", "Amira Yusuf", None),
    (["Elsa Brandt coaches the trapeze."], "Elsa Brandon sells the tickets.", "Elsa Brandon", None),
    (["Rhea Moon engineers at the studio."], "Rhea Mooney books the sessions.", "Rhea Mooney", None),
    (["Isla Munro chairs the lighthouse trust."], "Isla Monroe paints the railings.", "Isla Monroe", None),
    (["Gus Hale mixes the albums."], "Gus Hall plays bass on the record.", "Gus Hall", None),
    (["Ewan Ross guides the lighthouse tours."], "Evan Ross fixes the fog horn.", "Evan Ross", None),
    # --- places, firms and things that share a word with a person
    (["Paris Lowe sings in the studio choir."], "The glassworks shipped vases to Paris.", "Paris", None),
    (["Harley Dunn walks the rescue dogs."], "The hut warden rides an old Harley up the track.", "Harley", None),
    (["Brooklyn Shaw makes the bridal veils."], "The bridal shop opened a branch in Brooklyn.", "Brooklyn", None),
    (["Dakota Reid coaches juggling."], "The circus toured Dakota last summer.", "Dakota", None),
    (["Carolina Mendes sorts the blood samples."], "The blood bank sends samples to a lab in Carolina.", "Carolina", None),
    # --- two candidates: ambiguous, both named
    (["Anna Egger runs the mountain hut.", "Anna Koch cooks at the hut."], "Anna ordered the gas bottles.", "Anna", ("Anna Egger", "Anna Koch")),
    (["Franz Egger carries the supplies.", "Anna Egger runs the mountain hut."], "Egger checked the roof.", "Egger", ("Franz Egger", "Anna Egger")),
    (["Paul Okoye leads the nurses.", "Paul Grant drives the blood van."], "Paul logged the donations.", "Paul", ("Paul Okoye", "Paul Grant")),
    (["Dora Vance runs the workroom.", "Daniel Vance keeps the books."], "D. Vance signed the order.", "D. Vance", ("Dora Vance", "Daniel Vance")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Tanya Bose: lane 6 is out of order.", "Tanya Bose", True),
    ("Vikram: the water is back on.", "Vikram", True),
    ("Mrs Munro: the grant came through.", "Mrs Munro", True),
    ("Elsa Brandt: the net needs replacing.", "Elsa Brandt", True),
    ("Amina: blitz night starts at seven.", "Amina", True),
    ("Dr Frost: the puppies are all vaccinated.", "Dr Frost", True),
    ("Rhea: I can take the Friday session.", "Rhea", True),
    ("Gus Hale: the mix is done.", "Gus Hale", True),
    # --- a label, a heading or a field: no person
    ("Problem: the kiln door sticks.", "Problem", False),
    ("Action: order more flour.", "Action", False),
    ("Schedule: tours on Saturdays.", "Schedule", False),
    ("Cost: £400 for the net.", "Cost", False),
    ("Location: the Drill Hall.", "Location", False),
    ("Priority: fix lane 6.", "Priority", False),
    ("Question: who holds the hut keys?", "Question", False),
    ("Idea: a winter bunk room.", "Idea", False),
]
