"""An eleventh labelled set for `bench.semantics` (`--split set11`): supersession, aliases and
speaker labels, held back by the lead.

Written on 2026-12-08 (session 31, issue 11) by the lead before the day's branches were
started, kept outside the repository while they worked, and shown to no one tuning rules: it
measures whether the rules hold on wording their authors never saw. Do not tune on it; report
its figure. Domains the earlier sets do not use (a pharmacy, a dance studio, a car-repair
garage, a recycling centre, a summer camp, a food bank, a tennis club, a coworking space, a
podcast, an architecture practice, a taxi firm, a youth hostel, a cinema, a swimming pool, a
wildlife reserve), in note-taking wording: "(was X)", "up from", "X -> Y", "taking over from",
"in place of", fronted time phrases, passive voice, reported hand-overs. As many must-not
cases as positives in each category.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- pharmacy
    ("The pharmacy's lead pharmacist is Gareth Evans.", "Priya Nair is our new lead pharmacist, taking over from Gareth Evans.", True),
    ("The pharmacy opens at 9 am on Sundays.", "As of this week the pharmacy opens at 10 am on Sundays.", True),
    ("The pharmacy's lead pharmacist is Gareth Evans.", "Gareth Evans gave the flu jabs on Friday.", False),
    ("The pharmacy opens at 9 am on Sundays.", "The pharmacy opens at 8 am on weekdays.", False),
    # --- dance studio
    ("The studio's ballet teacher is Irina Volkova.", "Irina Volkova retired last month; ballet is now taught by Lucia Ferri.", True),
    ("A drop-in class costs £8.", "A drop-in class now costs £10 (was £8).", True),
    ("The studio's ballet teacher is Irina Volkova.", "Irina Volkova choreographed the winter show.", False),
    ("A drop-in class costs £8.", "A private lesson costs £35.", False),
    ("The studio's ballet teacher is Irina Volkova.", "We might ask Lucia Ferri to teach ballet.", False),
    # --- car-repair garage
    ("The garage's head mechanic is Dave Rowe.", "Dave Rowe was replaced as head mechanic by Imran Shah.", True),
    ("The garage orders parts from Euro Car Parts.", "The garage now orders its parts from GSF instead of Euro Car Parts.", True),
    ("The garage's head mechanic is Dave Rowe.", "Dave Rowe fixed the Volvo's clutch.", False),
    ("The garage orders parts from Euro Car Parts.", "The garage orders tyres from Tyre Pros.", False),
    # --- recycling centre
    ("The recycling centre closes at 5 pm.", "Winter hours: the recycling centre now closes at 4 pm.", True),
    ("The recycling centre takes 40 tonnes of glass a month.", "The recycling centre takes 55 tonnes of glass a month, up from 40.", True),
    ("The recycling centre closes at 5 pm.", "The recycling centre's shop closes at 3 pm.", False),
    ("The recycling centre takes 40 tonnes of glass a month.", "The recycling centre takes 12 tonnes of cardboard a month.", False),
    # --- summer camp
    ("The camp director is Jess Obi.", "Jess Obi handed the camp over to Marcus Lee, who is director from this summer.", True),
    ("The camp runs for three weeks.", "The camp has been extended to four weeks.", True),
    ("The camp director is Jess Obi.", "Jess Obi led the night hike.", False),
    ("The camp runs for three weeks.", "The sailing course runs for one week.", False),
    ("The camp runs for three weeks.", "The camp did not get extended to four weeks.", False),
    # --- food bank
    ("The food bank's coordinator is Ruth Adler.", "Ruth Adler has stepped back, and the food bank is now coordinated by Femi Bello.", True),
    ("The food bank collects donations on Thursdays.", "The food bank moved its collections from Thursdays to Saturdays.", True),
    ("The food bank's coordinator is Ruth Adler.", "Ruth Adler thanked the volunteers.", False),
    ("The food bank collects donations on Thursdays.", "The food bank hands out parcels on Thursdays.", False),
    # --- tennis club
    ("The tennis club's head coach is Pierre Dubois.", "Pierre Dubois's replacement as head coach is Ana Costa.", True),
    ("Annual membership at the tennis club is £120.", "Annual membership at the tennis club went up to £140.", True),
    ("The tennis club's head coach is Pierre Dubois.", "Pierre Dubois won the veterans' doubles.", False),
    ("Annual membership at the tennis club is £120.", "Junior membership at the tennis club is £40.", False),
    ("Annual membership at the tennis club is £120.", "Will annual membership at the tennis club go up to £140?", False),
    # --- coworking space
    ("The coworking space's community manager is Tom Hale.", "Tom Hale left in May; the community manager is Zara Quinn now.", True),
    ("A hot desk costs £150 a month.", "A hot desk is down to £130 a month.", True),
    ("The coworking space's community manager is Tom Hale.", "Tom Hale booked the meeting room.", False),
    ("A hot desk costs £150 a month.", "A fixed desk costs £250 a month.", False),
    # --- podcast
    ("The podcast is hosted on Libsyn.", "We migrated the podcast from Libsyn to Buzzsprout.", True),
    ("The podcast's producer is Noor Haddad.", "Noor Haddad is no longer our producer; Ben Cole produces the show now.", True),
    ("The podcast is hosted on Libsyn.", "The podcast's transcripts are hosted on GitHub.", False),
    ("The podcast's producer is Noor Haddad.", "Noor Haddad edited episode 12.", False),
    # --- architecture practice
    ("The practice's managing partner is Elena Brandt.", "Elena Brandt stepped down as managing partner in favour of Kofi Mensah.", True),
    ("The practice uses ArchiCAD.", "The practice switched over to Revit last spring.", True),
    ("The practice's managing partner is Elena Brandt.", "Elena Brandt designed the library extension.", False),
    ("The practice uses ArchiCAD.", "The practice also uses SketchUp for sketches.", False),
    # --- taxi firm
    ("The taxi firm's fleet is 30 cars.", "After selling the diesels, the taxi firm's fleet is 24 cars.", True),
    ("The night dispatcher is Stan Kowalski.", "Stan Kowalski moved to days, so the night dispatcher is now Leah Grant.", True),
    ("The taxi firm's fleet is 30 cars.", "The taxi firm's fleet drove 30,000 miles in June.", False),
    ("The night dispatcher is Stan Kowalski.", "The day dispatcher is Leah Grant.", False),
    # --- youth hostel
    ("The hostel's warden is Ellie Shaw.", "Ellie Shaw has been succeeded by Owen Price as the hostel's warden.", True),
    ("A dorm bed at the hostel costs £22 a night.", "A dorm bed at the hostel now costs £25 a night.", True),
    ("The hostel's warden is Ellie Shaw.", "Ellie Shaw repainted the common room.", False),
    ("A dorm bed at the hostel costs £22 a night.", "A private room at the hostel costs £60 a night.", False),
    # --- cinema
    ("The cinema's programmer is Hugo Blanc.", "The cinema's programmer is Mia Lund, in place of Hugo Blanc.", True),
    ("The late show starts at 21:15.", "Starting next week the late show starts at 21:45.", True),
    ("The cinema's programmer is Hugo Blanc.", "Hugo Blanc introduced the Kurosawa season.", False),
    ("The late show starts at 21:15.", "The matinee starts at 14:00.", False),
    # --- swimming pool
    ("The pool is heated to 28 degrees.", "The pool's temperature was lowered from 28 to 27 degrees to save energy.", True),
    ("The pool's head lifeguard is Carla Diaz.", "Carla Diaz passed her whistle to Jonah Reed, the new head lifeguard.", True),
    ("The pool is heated to 28 degrees.", "The learner pool is heated to 31 degrees.", False),
    ("The pool's head lifeguard is Carla Diaz.", "Carla Diaz taught the toddlers' class.", False),
    # --- wildlife reserve
    ("The reserve's warden is Alan Finch.", "Alan Finch has retired and Hannah Moss is the reserve's warden now.", True),
    ("The reserve counts 140 breeding pairs of terns.", "This year the reserve counts 162 breeding pairs of terns.", True),
    ("The reserve's warden is Alan Finch.", "Alan Finch ringed the chicks.", False),
    ("The reserve counts 140 breeding pairs of terns.", "The reserve counts 30 breeding pairs of avocets.", False),
    ("The reserve's warden is Alan Finch.", "If Alan Finch retires, Hannah Moss would become warden.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Priya Nair runs the pharmacy."], "Mrs Nair checked the prescription.", "Mrs Nair", "Priya Nair"),
    (["Lucia Ferri teaches ballet at the studio."], "L. Ferri set the exam pieces.", "L. Ferri", "Lucia Ferri"),
    (["Robert Rowe repairs the gearboxes."], "Bob Rowe ordered a new ramp.", "Bob Rowe", "Robert Rowe"),
    (["Imran Shah is the garage's head mechanic."], "Shah signed the MOT.", "Shah", "Imran Shah"),
    (["Jennifer Obi runs the summer camp."], "Jen Obi booked the coaches.", "Jen Obi", "Jennifer Obi"),
    (["Marcus Lee directs the camp."], "Marcus sorted the cabins.", "Marcus", "Marcus Lee"),
    (["Femi Bello coordinates the food bank."], "Mr Bello counted the tins.", "Mr Bello", "Femi Bello"),
    (["Anthony Costa coaches the juniors."], "Tony Costa restrung the rackets.", "Tony Costa", "Anthony Costa"),
    (["Zara Quinn manages the coworking space."], "Z. Quinn renewed the lease.", "Z. Quinn", "Zara Quinn"),
    (["Elizabeth Brandt leads the practice."], "Liz Brandt approved the drawings.", "Liz Brandt", "Elizabeth Brandt"),
    (["Kofi Mensah designs the facades."], "Kofi presented the model.", "Kofi", "Kofi Mensah"),
    (["Prof. Hannah Moss studies the terns."], "Hannah Moss counted the nests.", "Hannah Moss", "Hannah Moss"),
    (["Daniel Price wardens the hostel."], "Dan Price fixed the boiler.", "Dan Price", "Daniel Price"),
    (["Jonah Reed guards the pool."], "Reed closed the deep end.", "Reed", "Jonah Reed"),
    (["Alexander Finch rings the birds."], "Alex Finch logged the sightings.", "Alex Finch", "Alexander Finch"),
    # --- different people: must not merge
    (["Priya Nair runs the pharmacy."], "Priya Nayar delivers the prescriptions.", "Priya Nayar", None),
    (["Lucia Ferri teaches ballet at the studio."], "Lucia Ferrari plays the piano for class.", "Lucia Ferrari", None),
    (["Daniel Price wardens the hostel."], "Diana Price cleans the dorms.", "Diana Price", None),
    (["Zara Quinn manages the coworking space."], "Zara Quine rents desk 4.", "Zara Quine", None),
    (["Marcus Lee directs the camp."], "Marcus Leigh cooks for the campers.", "Marcus Leigh", None),
    (["Femi Bello coordinates the food bank."], "Femi Bellamy drives the van.", "Femi Bellamy", None),
    (["Jonah Reed guards the pool."], "Jonah Reeves teaches swimming.", "Jonah Reeves", None),
    (["Imran Shah is the garage's head mechanic."], "Imran Khan valets the cars.", "Imran Khan", None),
    # --- places, firms and things that share a word with a person
    (["Georgia Lamb answers the pharmacy phone."], "The camp's new cook trained in Georgia.", "Georgia", None),
    (["Sydney Cole edits the podcast."], "The architects won a contract in Sydney.", "Sydney", None),
    (["Morgan Hale drives taxi 12."], "The garage restored an old Morgan roadster.", "Morgan", None),
    (["Chester Grant sorts the glass."], "The recycling lorry goes to Chester on Mondays.", "Chester", None),
    (["Devon Park teaches tap."], "The hostel has a sister hostel in Devon.", "Devon", None),
    # --- two candidates: ambiguous, both named
    (["Hannah Moss runs the reserve.", "Hannah Webb leads the bird walks."], "Hannah mended the hide.", "Hannah", ("Hannah Moss", "Hannah Webb")),
    (["Owen Price wardens the hostel.", "Sian Price does the bookings."], "Price locked the gate.", "Price", ("Owen Price", "Sian Price")),
    (["Ana Costa coaches the seniors.", "Anthony Costa coaches the juniors."], "A. Costa booked court 3.", "A. Costa", ("Ana Costa", "Anthony Costa")),
    (["Leah Grant dispatches at night.", "Leah Ortiz answers the phones."], "Leah logged the fares.", "Leah", ("Leah Grant", "Leah Ortiz")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Priya Nair: the flu vaccines arrive Monday.", "Priya Nair", True),
    ("Imran: the ramp is fixed.", "Imran", True),
    ("Mrs Nair: please restock the plasters.", "Mrs Nair", True),
    ("Femi Bello: we need more volunteers on Saturday.", "Femi Bello", True),
    ("Zara: the Wi-Fi is back up.", "Zara", True),
    ("Prof. Moss: the terns are nesting early.", "Prof. Moss", True),
    ("Owen: two dorms are free tonight.", "Owen", True),
    ("Hugo Blanc: the print arrives Thursday.", "Hugo Blanc", True),
    # --- a label, a heading or a field: no person
    ("Outcome: the camp runs four weeks.", "Outcome", False),
    ("Open questions: who covers the night shift?", "Open questions", False),
    ("Budget: £2,000 for new rackets.", "Budget", False),
    ("Timeline: drawings due in March.", "Timeline", False),
    ("Follow-up: call the glass buyer.", "Follow-up", False),
    ("Context: the pool boiler failed twice.", "Context", False),
    ("Update: the hostel is fully booked.", "Update", False),
    ("Result: 162 pairs of terns.", "Result", False),
]
