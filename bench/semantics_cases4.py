"""A fourth labelled set for `bench.semantics` (`--split set4`): supersession only, written
before any rule was changed for issue 11 (recall on wording nobody tuned on).

Other domains than sets 1-3 (hospital shifts, an airline, a farm, a theatre, a newspaper, a
game studio, a university, shipping, a sports league, a parish, government, a retail chain, a
hotel, an orchestra), tenses and sentence shapes: active and passive, relative clauses,
appositions, "now" / "since" / "as of" / "effective", successor and predecessor, departures
with a new holder, numbers, times of day, dates moved, counts, places and versions. At least
as many cases that must not supersede: multi-valued relations, other subjects, other
attributes of the same subject, plans and proposals, questions, negated changes, someone
else's history, the same value restated, an additional holder, co-leads.

SUPERSEDE: (old note, new note, True when the new note replaces the old one's value). The
other categories are empty.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- hospital
    ("The night shift on the cardiac ward starts at 7 pm.", "The night shift on the cardiac ward now starts at 8 pm.", True),
    ("Dr. Haddad is the chief of surgery.", "Dr. Haddad retired and Dr. Lindqvist is the new chief of surgery.", True),
    ("The ICU has 12 beds.", "The ICU was expanded to 16 beds.", True),
    ("The charge nurse on ward 9 is Kofi.", "Kofi was replaced as charge nurse on ward 9 by Ana.", True),
    ("Dr. Haddad is the chief of surgery.", "Dr. Haddad operated on a child from Leeds.", False),
    ("The night shift on the cardiac ward starts at 7 pm.", "The day shift on the cardiac ward starts at 7 am.", False),
    ("The ICU has 12 beds.", "The ICU has two new ventilators.", False),
    ("The charge nurse on ward 9 is Kofi.", "Kofi trained three new nurses on ward 9.", False),
    # --- airline
    ("Flight 212 departs at 6:45 am.", "Flight 212 was moved to 9:10 am.", True),
    ("The airline's chief pilot is Captain Reyes.", "Captain Reyes was succeeded by Captain Olsen as chief pilot.", True),
    ("Our hub is Dublin.", "We moved our hub from Dublin to Shannon.", True),
    ("The fleet has 40 aircraft.", "As of this spring the fleet has 46 aircraft.", True),
    ("Flight 212 departs at 6:45 am.", "Flight 214 departs at 9:10 am.", False),
    ("Our hub is Dublin.", "We might move our hub to Shannon next year.", False),
    ("The airline's chief pilot is Captain Reyes.", "Captain Reyes flew the new route to Lisbon.", False),
    ("The fleet has 40 aircraft.", "The fleet flew 900 flights in May.", False),
    # --- farm
    ("The farm manager is Tom Briggs.", "Tom Briggs left the farm and Ellen Shaw took over as farm manager.", True),
    ("The herd has 120 cows.", "The herd has grown to 150 cows.", True),
    ("The farmers' market opens at 8 am.", "The farmers' market opens at 8 am, as always.", False),
    ("The farm grows barley.", "The farm grows potatoes too.", False),
    ("The herd has 120 cows.", "The neighbour's herd has 90 cows.", False),
    ("The farm manager is Tom Briggs.", "Tom Briggs fixed the tractor.", False),
    # --- theatre
    ("The artistic director of the Globe is Marta Ruiz.", "Marta Ruiz stepped down, and the artistic director of the Globe is now Idris Cole.", True),
    ("The premiere is on March 3.", "The premiere was postponed to March 17.", True),
    ("The box office closes at 9 pm.", "The box office is now open until 11 pm.", True),
    ("The lead in Hamlet is played by Jonas.", "Jonas was replaced as the lead in Hamlet by Priya.", True),
    ("The premiere is on March 3.", "The dress rehearsal is on March 1.", False),
    ("The artistic director of the Globe is Marta Ruiz.", "Marta Ruiz directed a new play at the Globe.", False),
    ("The box office closes at 9 pm.", "Will the box office close at 11 pm?", False),
    ("The lead in Hamlet is played by Jonas.", "Jonas also plays a small part in Macbeth.", False),
    # --- newspaper
    ("The editor-in-chief of the Herald is Grace Obi.", "Grace Obi retired and Paul Dunn is the new editor-in-chief of the Herald.", True),
    ("The print deadline is 10 pm.", "The print deadline was brought forward to 8 pm.", True),
    ("The Herald is printed in Leeds.", "Printing of the Herald moved from Leeds to Bradford.", True),
    ("The Herald's sports editor is Ken.", "Ken is no longer the sports editor; Lucy is.", True),
    ("The editor-in-chief of the Herald is Grace Obi.", "Grace Obi interviewed the editor-in-chief of the Times.", False),
    ("The print deadline is 10 pm.", "The online deadline is midnight.", False),
    ("The Herald's sports editor is Ken.", "Ken wrote about the derby.", False),
    ("The Herald is printed in Leeds.", "The Herald did not move its printing from Leeds.", False),
    # --- game studio
    ("The game runs on engine version 4.2.", "Engine version 5.0 replaced 4.2 as the game's engine.", True),
    ("The studio's creative director is Mina.", "Mina departed, and Oskar is the studio's new creative director.", True),
    ("The release date of Starfall is October 9.", "Starfall's release date slipped to November 20.", True),
    ("The build in production is 1.4.2.", "Build 1.4.3 replaced 1.4.2 in production.", True),
    ("The studio's creative director is Mina.", "Mina likes the new art style.", False),
    ("The game runs on engine version 4.2.", "The editor runs on engine version 5.0.", False),
    ("The release date of Starfall is October 9.", "We proposed moving Starfall's release to November 20.", False),
    ("The build in production is 1.4.2.", "Build 1.4.3 is in testing.", False),
    ("Mina reviewed the level design.", "Mina reviewed the sound design.", False),
    # --- university
    ("The dean of engineering is Professor Watt.", "Professor Watt was succeeded as dean of engineering by Professor Imani.", True),
    ("The library closes at 10 pm.", "The library now closes at midnight.", True),
    ("The department has 30 staff.", "The department now has 34 staff.", True),
    ("Sofia studies at Uppsala.", "Sofia transferred from Uppsala to Lund.", True),
    ("The dean of engineering is Professor Watt.", "The dean of law is Professor Imani.", False),
    ("The library closes at 10 pm.", "The gym closes at midnight.", False),
    ("Sofia studies at Uppsala.", "Sofia visited Lund for a conference.", False),
    ("Professor Watt teaches thermodynamics.", "Professor Watt teaches fluid mechanics.", False),
    # --- shipping
    ("The MV Aurora sails from Rotterdam.", "The MV Aurora now sails from Hamburg instead of Rotterdam.", True),
    ("The captain of the MV Aurora is Hans.", "Hans handed command of the MV Aurora to Ingrid.", True),
    ("The cutoff for container drop-off is 4 pm.", "The cutoff for container drop-off moved to 2 pm.", True),
    ("The captain of the MV Aurora is Hans.", "Hans sailed with the captain of the MV Boreal.", False),
    ("The MV Aurora sails from Rotterdam.", "The MV Boreal sails from Hamburg.", False),
    ("The cutoff for container drop-off is 4 pm.", "Did the cutoff for container drop-off move to 2 pm?", False),
    # --- sports league
    ("The league commissioner is Dana Holt.", "Dana Holt resigned and Victor Ames became league commissioner.", True),
    ("The league has 18 teams.", "With two expansion clubs the league now has 20 teams.", True),
    ("The final is on June 2.", "The final was rescheduled to June 9.", True),
    ("The Rovers' head coach is Sam Eze.", "Sam Eze was sacked and replaced by Luis Prado as head coach of the Rovers.", True),
    ("The Rovers' head coach is Sam Eze.", "Luis Prado joined the Rovers as an assistant coach.", False),
    ("The league has 18 teams.", "The league has 18 teams again this season.", False),
    ("The final is on June 2.", "The semi-final is on May 26.", False),
    ("The league commissioner is Dana Holt.", "Dana Holt met the players' union.", False),
    ("The Rovers' head coach is Sam Eze.", "Sam Eze and Luis Prado are co-head coaches of the Rovers.", False),
    # --- parish / community
    ("The vicar of St Mary's is Reverend Hale.", "Reverend Hale retired; the new vicar of St Mary's is Reverend Ogun.", True),
    ("Sunday service starts at 10 am.", "Sunday service has started at 9:30 am since Easter.", True),
    ("The choir has 25 members.", "The choir shrank to 19 members.", True),
    ("The vicar of St Mary's is Reverend Hale.", "Reverend Hale visited the vicar of St John's.", False),
    ("Sunday service starts at 10 am.", "The evening service starts at 6 pm.", False),
    ("The choir has 25 members.", "The choir sang 25 hymns.", False),
    ("The food bank runs on Tuesdays.", "The food bank also runs on Fridays.", False),
    # --- government
    ("The minister of health is Aline Moreau.", "Aline Moreau was replaced as minister of health by Karim Said.", True),
    ("The council's budget is 40 million dollars.", "The council's budget was cut to 36 million dollars.", True),
    ("The election is on May 5.", "The election was brought forward to April 21.", True),
    ("The minister of health is Aline Moreau.", "The minister of finance is Karim Said.", False),
    ("The election is on May 5.", "The opposition wants to move the election to April 21.", False),
    ("The council's budget is 40 million dollars.", "The council spent 2 million dollars on roads.", False),
    ("Aline Moreau met the mayor.", "Aline Moreau met the governor.", False),
    # --- retail chain
    ("The flagship store is in Glasgow.", "The flagship store relocated to Edinburgh.", True),
    ("The chain has 85 stores.", "The chain closed 10 stores and now has 75.", True),
    ("Stores close at 9 pm.", "Effective Monday, stores close at 10 pm.", True),
    ("The head of buying is Rita.", "Rita left the company; the new head of buying is Omar.", True),
    ("The flagship store is in Glasgow.", "A new store opened in Edinburgh.", False),
    ("Stores close at 9 pm.", "The warehouse closes at 6 pm.", False),
    ("The head of buying is Rita.", "Omar also works in buying.", False),
    ("The chain sells garden furniture.", "The chain sells barbecues.", False),
    # --- hotel
    ("Check-out is at 11 am.", "Check-out was moved to noon.", True),
    ("The hotel's general manager is Felix.", "Felix was promoted, and Hana is now the hotel's general manager.", True),
    ("The hotel has 210 rooms.", "After the renovation the hotel has 240 rooms.", True),
    ("Breakfast is served until 10 am.", "Breakfast is now served until 10:30 am.", True),
    ("Check-out is at 11 am.", "Check-in is at 3 pm.", False),
    ("The hotel's general manager is Felix.", "Felix greeted the general manager of the Ritz.", False),
    ("Breakfast is served until 10 am.", "Breakfast is served in the garden room.", False),
    ("The hotel has 210 rooms.", "The hotel has 210 rooms and a spa.", False),
    # --- orchestra
    ("The orchestra's music director is Yuki Sato.", "Yuki Sato's successor as music director is Anton Berg.", True),
    ("The concertmaster is Elena.", "Elena has been succeeded as concertmaster by Piotr.", True),
    ("The season opener is on September 12.", "The season opener has been pushed back to September 26.", True),
    ("The orchestra's music director is Yuki Sato.", "Yuki Sato conducted a guest orchestra in Vienna.", False),
    ("The concertmaster is Elena.", "Elena played a solo with Piotr.", False),
    ("The season opener is on September 12.", "The season finale is on May 30.", False),
    ("The orchestra plays Brahms.", "The orchestra plays Mahler.", False),
    ("The concertmaster is Elena.", "Piotr is also a concertmaster.", False),
    # --- people: where they live and work
    ("Nadia lives in Porto.", "Nadia relocated from Porto to Lisbon in the summer.", True),
    ("Bruno works at the Grand Hotel.", "Bruno now works at the Savoy.", True),
    ("Nadia lives in Porto.", "Nadia's sister lives in Lisbon.", False),
    ("Bruno works at the Grand Hotel.", "Bruno did not move to the Savoy after all.", False),
    ("Nadia lives in Porto.", "Nadia may move to Lisbon.", False),
    ("Bruno works at the Grand Hotel.", "Bruno used to work at the Savoy.", False),
]  # fmt: skip

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = []
EVIDENCE: list[tuple[str, str, str | None]] = []
LABELS: list[tuple[str, str, bool]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []
