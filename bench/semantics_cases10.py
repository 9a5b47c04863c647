"""A tenth labelled set for `bench.semantics` (`--split set10`): supersession, aliases and
speaker labels, held back by the lead.

Written on 2026-12-07 (session 30, issue 11) by the lead before the day's branches were
merged, kept outside the repository while they worked, and shown to no one tuning rules: it
measures whether the rules of that day hold on wording their authors never saw. Do not tune
on it; report its figure. Domains the earlier sets do not use (a dental practice, a ferry
line, an orchestra, a vineyard, a public library, a football academy, a museum, a courier
depot, an apiary, a language school, a ski resort, a choir, a bakery, a vet clinic, a
community garden), in note-taking wording: fragments, brackets, dashes, "as of", "from now
on", passive voice, reported hand-overs, amounts that rise and fall. As many must-not cases
as positives in each category.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- dental practice
    ("The practice manager at Bright Smile Dental is Carol Pike.", "Carol Pike retired, so Bright Smile Dental's practice manager is now Tariq Aziz.", True),
    ("A check-up at Bright Smile Dental costs £45.", "A check-up at Bright Smile Dental has gone up to £52.", True),
    ("The practice manager at Bright Smile Dental is Carol Pike.", "Carol Pike ordered new chairs for Bright Smile Dental.", False),
    ("A check-up at Bright Smile Dental costs £45.", "A hygienist visit at Bright Smile Dental costs £60.", False),
    # --- ferry line
    ("The first ferry to Arran leaves at 7:10.", "From Monday the first ferry to Arran leaves at 6:50.", True),
    ("The MV Clansman runs the Arran crossing.", "The MV Clansman was replaced on the Arran crossing by the MV Isle of Mull.", True),
    ("The first ferry to Arran leaves at 7:10.", "The last ferry to Arran leaves at 21:30.", False),
    ("The MV Clansman runs the Arran crossing.", "The MV Clansman had its hull painted in March.", False),
    ("The first ferry to Arran leaves at 7:10.", "Could the first ferry to Arran leave at 6:50?", False),
    # --- orchestra
    ("The orchestra's principal conductor is Anton Weiss.", "Anton Weiss passed the baton to Keiko Sato, the orchestra's new principal conductor.", True),
    ("The orchestra rehearses in St Mary's Hall.", "The orchestra has moved its rehearsals from St Mary's Hall to the Corn Exchange.", True),
    ("The orchestra's principal conductor is Anton Weiss.", "Anton Weiss conducted the New Year concert.", False),
    ("The orchestra rehearses in St Mary's Hall.", "The youth choir also rehearses in St Mary's Hall.", False),
    # --- vineyard
    ("The vineyard's winemaker is Paolo Ricci.", "The vineyard's winemaker is no longer Paolo Ricci; Chloe Martin took over in June.", True),
    ("The vineyard has 12 hectares of vines.", "After the new planting the vineyard has 15 hectares of vines.", True),
    ("The vineyard's winemaker is Paolo Ricci.", "Paolo Ricci tasted the new rosé.", False),
    ("The vineyard has 12 hectares of vines.", "The vineyard has 12 oak barrels.", False),
    # --- public library
    ("The library closes at 6 pm on Saturdays.", "The library now closes at 4 pm on Saturdays.", True),
    ("The head librarian is Nadia Hussein.", "Nadia Hussein has handed over to Tom Birch as head librarian.", True),
    ("The library closes at 6 pm on Saturdays.", "The library café closes at 5 pm on Saturdays.", False),
    ("The head librarian is Nadia Hussein.", "Nadia Hussein ran the summer reading challenge.", False),
    ("The library closes at 6 pm on Saturdays.", "The library closes at 8 pm on Thursdays.", False),
    # --- football academy
    ("The under-16s coach is Marco Rossi.", "Marco Rossi moved up to the first team, and the under-16s coach is now Sam Ode.", True),
    ("The under-16s train on Tuesdays.", "The under-16s switched training from Tuesdays to Wednesdays.", True),
    ("The under-16s coach is Marco Rossi.", "The under-18s coach is Sam Ode.", False),
    ("The under-16s train on Tuesdays.", "The under-16s played a friendly on Tuesday.", False),
    # --- museum
    ("The museum's director is Helen Cho.", "Helen Cho's successor as museum director is Rafael Ortiz.", True),
    ("Entry to the museum is free.", "Entry to the museum now costs £8.", True),
    ("The museum's director is Helen Cho.", "Helen Cho opened the Egyptian gallery.", False),
    ("Entry to the museum is free.", "Entry to the museum's special exhibition costs £8.", False),
    # --- courier depot
    ("The depot ships with DHL.", "The depot dropped DHL and ships with DPD now.", True),
    ("The depot runs 14 vans.", "The depot is now running 11 vans.", True),
    ("The depot ships with DHL.", "The depot also ships with DPD for heavy parcels.", False),
    ("The depot runs 14 vans.", "The depot washed 14 vans on Friday.", False),
    # --- apiary
    ("The apiary keeps 20 hives.", "Since the winter losses the apiary keeps only 16 hives.", True),
    ("The honey is sold at Hillside Farm Shop.", "We stopped selling the honey at Hillside Farm Shop and sell it at the Saturday market instead.", True),
    ("The apiary keeps 20 hives.", "The apiary keeps 20 queens in reserve.", False),
    ("The honey is sold at Hillside Farm Shop.", "The beeswax candles are sold at Hillside Farm Shop.", False),
    # --- language school
    ("The director of studies is Ingrid Holm.", "Ingrid Holm is leaving; Pablo Reyes becomes director of studies next month.", True),
    ("The intensive course lasts four weeks.", "The intensive course was cut from four weeks to three.", True),
    ("The director of studies is Ingrid Holm.", "Ingrid Holm taught the advanced group.", False),
    ("The intensive course lasts four weeks.", "The evening course lasts ten weeks.", False),
    # --- ski resort
    ("The top lift opens at 8:30.", "The top lift opens at 9:00 this season instead of 8:30.", True),
    ("A day pass at Glenbeg costs £40.", "A day pass at Glenbeg dropped to £35.", True),
    ("The top lift opens at 8:30.", "The nursery slope lift opens at 9:30.", False),
    ("A day pass at Glenbeg costs £40.", "A season pass at Glenbeg costs £400.", False),
    # --- choir
    ("The choir's accompanist is Bernard Low.", "Bernard Low stood down as the choir's accompanist; Yuki Tan plays for us now.", True),
    ("The choir sings in Latin and English.", "The choir sings in Welsh too.", False),
    ("The choir's accompanist is Bernard Low.", "Bernard Low tuned the piano.", False),
    # --- bakery
    ("Our sourdough is baked with Shipton Mill flour.", "We changed our sourdough flour from Shipton Mill to Gilchester's.", True),
    ("The bakery opens at 7 am.", "The bakery opens an hour earlier now, at 6 am.", True),
    ("Our sourdough is baked with Shipton Mill flour.", "Our rye bread is baked with Gilchester's flour.", False),
    ("The bakery opens at 7 am.", "The bakery opened a second shop in May.", False),
    # --- vet clinic
    ("The clinic's senior vet is Dr Amir Haddad.", "Dr Amir Haddad has been succeeded as senior vet by Dr Jo Reid.", True),
    ("The out-of-hours line is 0800 123 456.", "The out-of-hours line changed to 0800 654 321.", True),
    ("The clinic's senior vet is Dr Amir Haddad.", "Dr Amir Haddad spayed the collie.", False),
    ("The out-of-hours line is 0800 123 456.", "The appointments line is 0800 777 888.", False),
    # --- community garden
    ("The garden's coordinator is Beth Morgan.", "Beth Morgan passed the coordinator role on to Kwame Asante.", True),
    ("Plot rent is £30 a year.", "Plot rent rose to £36 a year.", True),
    ("The garden's coordinator is Beth Morgan.", "Beth Morgan planted the herb spiral.", False),
    ("Plot rent is £30 a year.", "The shed rent is £10 a year.", False),
    ("The garden's coordinator is Beth Morgan.", "We may ask Kwame Asante to coordinate the garden.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Tariq Aziz manages Bright Smile Dental."], "Mr Aziz signed off the rota.", "Mr Aziz", "Tariq Aziz"),
    (["Keiko Sato conducts the orchestra."], "K. Sato chose the encore.", "K. Sato", "Keiko Sato"),
    (["Chloe Martin makes the vineyard's wine."], "Chloe M. bottled the rosé.", "Chloe M.", "Chloe Martin"),
    (["Thomas Birch runs the library."], "Tom Birch extended the opening hours.", "Tom Birch", "Thomas Birch"),
    (["Samuel Ode coaches the under-16s."], "Sam Ode picked the squad.", "Sam Ode", "Samuel Ode"),
    (["Helen Cho directs the museum."], "Ms Cho approved the loan.", "Ms Cho", "Helen Cho"),
    (["Rafael Ortiz curates the museum's coins."], "Rafael catalogued the hoard.", "Rafael", "Rafael Ortiz"),
    (["Ingrid Holm directs the language school."], "I. Holm wrote the placement test.", "I. Holm", "Ingrid Holm"),
    (["Dr Amir Haddad is the clinic's senior vet."], "Amir Haddad stitched the spaniel.", "Amir Haddad", "Amir Haddad"),
    (["Katherine Morgan coordinates the garden."], "Kate Morgan ordered the compost.", "Kate Morgan", "Katherine Morgan"),
    (["Kwame Asante waters the greenhouse."], "Kwame fixed the hose.", "Kwame", "Kwame Asante"),
    (["William Low plays for the choir."], "Bill Low chose the hymns.", "Bill Low", "William Low"),
    (["Yuki Tan sings alto in the choir."], "Miss Tan led the warm-up.", "Miss Tan", "Yuki Tan"),
    (["Margaret Pike bakes the sourdough."], "Maggie Pike shaped the loaves.", "Maggie Pike", "Margaret Pike"),
    (["Pablo Reyes teaches the intensive course."], "Reyes marked the essays.", "Reyes", "Pablo Reyes"),
    # --- different people: must not merge
    (["Tariq Aziz manages Bright Smile Dental."], "Tariq Azim repaired the X-ray unit.", "Tariq Azim", None),
    (["Keiko Sato conducts the orchestra."], "Keiko Saito plays second violin.", "Keiko Saito", None),
    (["Helen Cho directs the museum."], "Helen Chow runs the museum shop.", "Helen Chow", None),
    (["Thomas Birch runs the library."], "Thomas Burch delivers the books.", "Thomas Burch", None),
    (["Samuel Ode coaches the under-16s."], "Samuel Odell referees the friendlies.", "Samuel Odell", None),
    (["Ingrid Holm directs the language school."], "Ingrid Holmes cleans the classrooms.", "Ingrid Holmes", None),
    (["Margaret Pike bakes the sourdough."], "Margaret Price delivers the bread.", "Margaret Price", None),
    (["Kwame Asante waters the greenhouse."], "Kwame Mensah grows the squash.", "Kwame Mensah", None),
    # --- places, firms and things that share a word with a person
    (["Chelsea Ward sings soprano in the choir."], "The bakery supplies a café in Chelsea.", "Chelsea", None),
    (["Jordan Fry drives the depot's van 7."], "The honey is exported to Jordan.", "Jordan", None),
    (["Austin Bell teaches the evening class."], "The courier's old Austin van was scrapped.", "Austin", None),
    (["Florence Hart guides the museum tours."], "The orchestra toured Florence in May.", "Florence", None),
    (["Lincoln Shaw keeps the apiary's records."], "The ferry company has an office in Lincoln.", "Lincoln", None),
    # --- two candidates: ambiguous, both named
    (["Helen Cho directs the museum.", "Helen Park runs the education team."], "Helen approved the school visits.", "Helen", ("Helen Cho", "Helen Park")),
    (["Tariq Aziz manages Bright Smile Dental.", "Leila Aziz is the practice's hygienist."], "Aziz booked the training day.", "Aziz", ("Tariq Aziz", "Leila Aziz")),
    (["Keiko Sato conducts the orchestra.", "Kenji Sato plays the cello."], "K. Sato tuned up first.", "K. Sato", ("Keiko Sato", "Kenji Sato")),
    (["Samuel Ode coaches the under-16s.", "Samuel Grant runs the academy."], "Samuel rang the parents.", "Samuel", ("Samuel Ode", "Samuel Grant")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Tariq Aziz: the new chair arrives Tuesday.", "Tariq Aziz", True),
    ("Keiko: strings from bar forty, please.", "Keiko", True),
    ("Ms Cho: the loan agreement is signed.", "Ms Cho", True),
    ("Kwame Asante: tomatoes need staking.", "Kwame Asante", True),
    ("Chloe: the rosé is ready to bottle.", "Chloe", True),
    ("Dr Reid: the spaniel can go home.", "Dr Reid", True),
    ("Pablo: level tests are marked.", "Pablo", True),
    ("Bernard Low: I'll cover Sunday.", "Bernard Low", True),
    # --- a label, a heading or a field: no person
    ("Action items: order flour, fix the oven door.", "Action items", False),
    ("Attendees: Helen Cho, Rafael Ortiz.", "Attendees", False),
    ("Status: the ferry is running late.", "Status", False),
    ("Next steps: book the Corn Exchange.", "Next steps", False),
    ("Reminder: plot rent is due in April.", "Reminder", False),
    ("Agenda: vans, rota, fuel cards.", "Agenda", False),
    ("Summary: fewer hives after the winter.", "Summary", False),
    ("Decision: the museum stays free on Sundays.", "Decision", False),
]
