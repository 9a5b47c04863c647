"""A ninth labelled set for `bench.semantics` (`--split set9`): supersession, aliases and
speaker labels, held back by the lead.

Written on 2026-12-07 (session 29, issue 11) by the lead before the day's branches were
merged, and shown to no one tuning rules: it measures whether the rules of that day hold on
wording their authors never saw. Do not tune on it; report its figure. Domains the earlier
sets do not use (a hospital ward, a theatre company, a sailing club, a brewery, a primary
school, a fire station, a farm co-op, a radio station, a hotel, a game studio, a cycling
team, a zoo, a bookshop, a print shop, a climbing gym), in note-taking wording: fragments,
brackets, "as of", "effective", "going forward", passive voice, reported speech. As many
must-not cases as positives in each category.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- hospital ward
    ("The ward sister on Ward 7 is Grace Mensah.", "As of this week Ward 7's ward sister is Olu Bakare.", True),
    ("Visiting hours on Ward 7 end at 8 pm.", "Visiting hours on Ward 7 now end at 7 pm.", True),
    ("The ward sister on Ward 7 is Grace Mensah.", "Grace Mensah trained the new nurses on Ward 7.", False),
    ("Visiting hours on Ward 7 end at 8 pm.", "Ward 7 had twelve visitors after 6 pm.", False),
    # --- theatre company
    ("The artistic director of the Lantern Theatre is Maeve Quinn.", "Maeve Quinn stepped down and Idris Cole became artistic director of the Lantern Theatre.", True),
    ("The spring production is Hedda Gabler.", "We swapped the spring production from Hedda Gabler to The Seagull.", True),
    ("The artistic director of the Lantern Theatre is Maeve Quinn.", "Maeve Quinn directed the Christmas panto at the Lantern Theatre.", False),
    ("The spring production is Hedda Gabler.", "Hedda Gabler sold out its preview night.", False),
    ("The spring production is Hedda Gabler.", "We might swap the spring production to The Seagull.", False),
    # --- sailing club
    ("The club commodore is Harriet Vane.", "Harriet Vane handed the commodore's role to Piers Lowe at the AGM.", True),
    ("The Sunday race starts at 10:30.", "The Sunday race start has moved to 11:00.", True),
    ("The club commodore is Harriet Vane.", "Harriet Vane won the Sunday race.", False),
    ("The Sunday race starts at 10:30.", "The Sunday race finished at 12:40.", False),
    # --- brewery
    ("Our head brewer is Tobias Krug.", "Tobias Krug left us; our head brewer is now Anneli Saar.", True),
    ("We bottle the pale ale in 330 ml bottles.", "We switched the pale ale from 330 ml bottles to 440 ml cans.", True),
    ("Our head brewer is Tobias Krug.", "Tobias Krug brewed a smoked porter.", False),
    ("We bottle the pale ale in 330 ml bottles.", "We also bottle the stout in 500 ml bottles.", False),
    # --- primary school
    ("The head teacher at Oakfield Primary is Mrs Pereira.", "Oakfield Primary has a new head teacher, Mr Adebayo, replacing Mrs Pereira.", True),
    ("School pickup is at 3:15 pm.", "Pickup is 3:00 pm from next term (it was 3:15 pm).", True),
    ("The head teacher at Oakfield Primary is Mrs Pereira.", "Mrs Pereira read to Year 2 on Friday.", False),
    ("School pickup is at 3:15 pm.", "The school bus leaves at 3:15 pm.", False),
    # --- fire station
    ("Station 4's watch manager is Craig Dunn.", "Effective Monday, Station 4's watch manager is Aisha Farah.", True),
    ("Station 4 has two fire engines.", "Station 4 is now down to one fire engine.", True),
    ("Station 4's watch manager is Craig Dunn.", "Craig Dunn inspected the hydrants near Station 4.", False),
    ("Station 4 has two fire engines.", "Station 4 has two new recruits.", False),
    ("Station 4's watch manager is Craig Dunn.", "Station 9's watch manager is Aisha Farah.", False),
    # --- farm co-op
    ("The co-op sells its milk to Dairy Gold.", "The co-op stopped selling to Dairy Gold and sells its milk to Greenvale instead.", True),
    ("The co-op chair is Ewan Ross.", "Ewan Ross's term ended; Fiona Blair now chairs the co-op.", True),
    ("The co-op sells its milk to Dairy Gold.", "The co-op sells its cheese to Greenvale.", False),
    ("The co-op chair is Ewan Ross.", "Ewan Ross chaired the harvest meeting in 2019.", False),
    # --- radio station
    ("The breakfast show host is Danny Ferris.", "Danny Ferris has been replaced on the breakfast show by Lola Grant.", True),
    ("The station broadcasts on 98.4 FM.", "The station moved from 98.4 FM to 101.2 FM.", True),
    ("The breakfast show host is Danny Ferris.", "Danny Ferris interviewed the mayor on the breakfast show.", False),
    ("The station broadcasts on 98.4 FM.", "The station also streams online.", False),
    # --- hotel
    ("Check-in at the Harbour Hotel starts at 3 pm.", "Check-in at the Harbour Hotel now starts at 2 pm.", True),
    ("The Harbour Hotel's general manager is Sven Olsen.", "Sven Olsen was transferred; the Harbour Hotel's general manager is Mira Kaur.", True),
    ("Check-in at the Harbour Hotel starts at 3 pm.", "Breakfast at the Harbour Hotel starts at 7 am.", False),
    ("The Harbour Hotel's general manager is Sven Olsen.", "Sven Olsen hosted the wedding fair.", False),
    # --- game studio
    ("The game engine for Project Kite is Unity.", "Project Kite was ported from Unity to Godot.", True),
    ("Project Kite ships in Q2.", "Project Kite slipped to Q4.", True),
    ("The game engine for Project Kite is Unity.", "Project Kite's level editor is written in Python.", False),
    ("Project Kite ships in Q2.", "Project Kite's demo ships in Q2.", False),
    ("The game engine for Project Kite is Unity.", "Is Godot a better engine for Project Kite?", False),
    # --- cycling team
    ("The team's bike sponsor is Velox.", "Velox is out; the team's bike sponsor is Ridgeback from next season.", True),
    ("The team captain is Lena Vogt.", "Lena Vogt remains team captain.", False),
    ("The team's bike sponsor is Velox.", "Velox sent the team new wheels.", False),
    ("The team captain is Lena Vogt.", "The captaincy passed from Lena Vogt to Marco Bruni.", True),
    # --- zoo
    ("The head keeper of the elephant house is Ruth Abara.", "Ruth Abara retired, and the head keeper of the elephant house is Joel Mwangi now.", True),
    ("The zoo has 3 elephants.", "The zoo now has 4 elephants after the calf was born.", True),
    ("The head keeper of the elephant house is Ruth Abara.", "Ruth Abara wrote the elephant house feeding guide.", False),
    ("The zoo has 3 elephants.", "The zoo has 3 giraffes.", False),
    # --- bookshop
    ("The bookshop closes at 6 pm on Saturdays.", "On Saturdays the bookshop closes at 7 pm these days.", True),
    ("Our distributor is Gardners.", "We changed distributor: Bertrams instead of Gardners.", True),
    ("The bookshop closes at 6 pm on Saturdays.", "The bookshop opens at 9 am on Saturdays.", False),
    ("Our distributor is Gardners.", "Gardners delivered the new hardbacks on Tuesday.", False),
    # --- print shop
    ("The big press prints 4,000 sheets an hour.", "After the service the big press prints 5,500 sheets an hour.", True),
    ("The print shop manager is Oskar Lind.", "Oskar Lind thinks the print shop needs a second press.", False),
    ("The big press prints 4,000 sheets an hour.", "The small press prints 1,200 sheets an hour.", False),
    ("The print shop manager is Oskar Lind.", "The print shop manager is no longer Oskar Lind but Hanna Berg.", True),
    # --- climbing gym
    ("The climbing gym's day pass costs £12.", "The climbing gym's day pass went up to £14.", True),
    ("The bouldering wall is reset every Wednesday.", "The bouldering wall is reset every Monday now.", True),
    ("The climbing gym's day pass costs £12.", "The climbing gym's shoe hire costs £4.", False),
    ("The bouldering wall is reset every Wednesday.", "The bouldering wall was busy on Wednesday.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Grace Mensah is the ward sister on Ward 7."], "Sister Mensah signed the drug chart.", "Sister Mensah", "Grace Mensah"),
    (["Idris Cole directs the Lantern Theatre."], "I. Cole cast the new Hamlet.", "I. Cole", "Idris Cole"),
    (["Harriet Vane is the club commodore."], "Harriet V. opened the regatta.", "Harriet V.", "Harriet Vane"),
    (["Tobias Krug brews the porter."], "Toby Krug tapped the first cask.", "Toby Krug", "Tobias Krug"),
    (["Craig Dunn manages the watch at Station 4."], "Mr Dunn ran the ladder drill.", "Mr Dunn", "Craig Dunn"),
    (["Fiona Blair chairs the farm co-op."], "Fiona signed the milk contract.", "Fiona", "Fiona Blair"),
    (["Daniel Ferris hosts the breakfast show."], "Danny Ferris played the new single.", "Danny Ferris", "Daniel Ferris"),
    (["Mira Kaur manages the Harbour Hotel."], "Ms. Kaur approved the refund.", "Ms. Kaur", "Mira Kaur"),
    (["Joel Mwangi keeps the elephants."], "Keeper Mwangi weighed the calf.", "Keeper Mwangi", "Joel Mwangi"),
    (["Elizabeth Thorne runs the bookshop."], "Liz Thorne ordered the signed copies.", "Liz Thorne", "Elizabeth Thorne"),
    (["Oskar Lind manages the print shop."], "O. Lind fixed the paper jam.", "O. Lind", "Oskar Lind"),
    (["Aisha Farah leads the blue watch."], "Aisha said the drill went well.", "Aisha", "Aisha Farah"),
    (["Robert Hale coaches the climbing team."], "Bob Hale set the new routes.", "Bob Hale", "Robert Hale"),
    (["Anneli Saar is our head brewer."], "Saar changed the hop schedule.", "Saar", "Anneli Saar"),
    (["Professor Ruth Abara advises the zoo."], "Ruth Abara gave the keepers a talk.", "Ruth Abara", "Ruth Abara"),
    # --- different people: must not merge
    (["Grace Mensah is the ward sister on Ward 7."], "Grace Mendes works nights on Ward 3.", "Grace Mendes", None),
    (["Idris Cole directs the Lantern Theatre."], "Idris Coleman plays the lead.", "Idris Coleman", None),
    (["Tobias Krug brews the porter."], "Tobias Kruger drives the delivery van.", "Tobias Kruger", None),
    (["Craig Dunn manages the watch at Station 4."], "Craig Dunne fixed the pump.", "Craig Dunne", None),
    (["Fiona Blair chairs the farm co-op."], "Fiona Blake keeps the co-op's books.", "Fiona Blake", None),
    (["Mira Kaur manages the Harbour Hotel."], "Mira Kapoor runs the hotel spa.", "Mira Kapoor", None),
    (["Oskar Lind manages the print shop."], "Oskar Lindqvist sells the paper.", "Oskar Lindqvist", None),
    (["Robert Hale coaches the climbing team."], "Roberta Hale belays the juniors.", "Roberta Hale", None),
    # --- places, firms and things that share a word with a person
    (["Paris Nolan presents the drive-time show."], "The hotel's sister property is in Paris.", "Paris", None),
    (["Georgia Banks books the theatre's tours."], "The cycling team trains in Georgia in winter.", "Georgia", None),
    (["Dallas Reed maintains the presses."], "Our paper comes from a mill near Dallas.", "Dallas", None),
    (["Victoria Hume keeps the giraffes."], "The brewery ships to Victoria station every week.", "Victoria station", None),
    (["Hunter Price sails in the Sunday race."], "The Hunter 27 is the club's training boat.", "Hunter 27", None),
    # --- two candidates: ambiguous, both named
    (["Grace Mensah is the ward sister on Ward 7.", "Grace Obi is the ward's pharmacist."], "Grace checked the morphine count.", "Grace", ("Grace Mensah", "Grace Obi")),
    (["Craig Dunn manages the watch at Station 4.", "Lorna Dunn drives the engine."], "Dunn logged the call-out.", "Dunn", ("Craig Dunn", "Lorna Dunn")),
    (["Oskar Lind manages the print shop.", "Olga Lind designs the posters."], "O. Lind approved the proofs.", "O. Lind", ("Oskar Lind", "Olga Lind")),
    (["Robert Hale coaches the climbing team.", "Robert Moss owns the gym."], "Robert booked the competition.", "Robert", ("Robert Hale", "Robert Moss")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Grace Mensah: bed 4 can go home tomorrow.", "Grace Mensah", True),
    ("Idris: Act two needs another week.", "Idris", True),
    ("Mr Dunn: hoses are back on the engine.", "Mr Dunn", True),
    ("Lola Grant: we're live in five.", "Lola Grant", True),
    ("Anneli: the porter is ready to keg.", "Anneli", True),
    ("Joel Mwangi: the calf is feeding well.", "Joel Mwangi", True),
    ("Liz: we sold out of the new Atwood.", "Liz", True),
    ("Ms. Kaur: the lift on floor two is fixed.", "Ms. Kaur", True),
    # --- a label, a heading or a field: no person
    ("Handover notes: bed 4 discharge, bed 9 bloods.", "Handover notes", False),
    ("Open questions: who covers the matinee?", "Open questions", False),
    ("Outcome: the engine passed its service.", "Outcome", False),
    ("Present: Fiona Blair, Ewan Ross.", "Present", False),
    ("Follow-up: call Dairy Gold about the contract.", "Follow-up", False),
    ("Headline: the station moves to 101.2 FM.", "Headline", False),
    ("Known issues: the lift on floor two sticks.", "Known issues", False),
    ("Takeaway: fewer, bigger print runs.", "Takeaway", False),
]
