"""A sixth labelled set for `bench.semantics` (`--split set6`): supersession only, written
before any rule was changed for it (recall and precision on wording nobody tuned on).

Domains the earlier sets do not use (a museum, a fire station, a brewery, a law firm, a zoo, a
railway, a radio station, a charity, a film shoot, a vineyard, a mine, a kindergarten, a water
utility, an esports team, a bus company, a robotics club, a harbour) and shapes they use little:
passive voice, a question followed by its answer, contractions, British and American spellings,
numbers written out, relative clauses, "as of" / "effective" / "going forward", "has been
promoted", "handed over", "stepped down", "took the reins", counts that grow and shrink, due
dates pushed back or pulled forward, versions rolled back, and changes whose stated time comes
before the old note (learned later, still a change). At least as many cases that must not
supersede: the same attribute of another subject, another attribute of the same subject,
multi-valued relations, hypotheticals, plans, negated changes, reported speech, questions.

SUPERSEDE: (old note, new note, True when the new note replaces the old one's value). The
other categories are empty.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- museum
    ("The curator of the Hartley Museum is Leila Moss.", "Leila Moss has been promoted to director, and the Hartley Museum's new curator is Ben Ortiz.", True),
    ("The museum closes at 5 pm.", "Going forward, the museum closes at 6 pm.", True),
    ("The Vermeer exhibition ends on January 12.", "The Vermeer exhibition has been extended to February 2.", True),
    ("The curator of the Hartley Museum is Leila Moss.", "Who is the curator of the Hartley Museum now?", False),
    ("The museum closes at 5 pm.", "The café in the museum closes at 4 pm.", False),
    ("The museum has forty paintings by Turner.", "The museum has twelve sketches by Constable.", False),
    # --- fire station
    ("The station's watch manager is Gareth Price.", "Gareth Price handed over as watch manager to Siân Evans.", True),
    ("The fire station has four engines.", "The fire station was given a fifth engine, so it has five engines now.", True),
    ("The station's watch manager is Gareth Price.", "Gareth Price said the watch manager at Cardiff Central is Owen.", False),
    ("The fire station has four engines.", "If the budget allows, the fire station will have five engines.", False),
    # --- brewery
    ("The brewery's head brewer is Colm.", "Colm stepped down as head brewer, and Aoife took the reins.", True),
    ("Our flagship beer is the Red Ale.", "As of this month our flagship beer is the Porter.", True),
    ("Our flagship beer is the Red Ale.", "We brew a Porter as well.", False),
    ("The brewery's head brewer is Colm.", "Colm's brother is head brewer at Galway Bay.", False),
    # --- law firm
    ("The managing partner of Reed & Hale is Martin Reed.", "Joanna Hale was elected managing partner of Reed & Hale, succeeding Martin Reed.", True),
    ("The hearing is on 4 March.", "The hearing has been adjourned to 18 March.", True),
    ("The hearing is on 4 March.", "The appeal hearing is on 20 May.", False),
    ("The managing partner of Reed & Hale is Martin Reed.", "Martin Reed represented the plaintiff.", False),
    ("Martin Reed represents the Dawson family.", "Martin Reed represents the Okoro family.", False),
    # --- zoo
    ("The zoo has three elephants.", "A calf was born, so the zoo now has four elephants.", True),
    ("The head keeper is Priti.", "Priti retired last spring; the head keeper's now Marcus.", True),
    ("The zoo has three elephants.", "The zoo has three giraffes.", False),
    ("The head keeper is Priti.", "Priti fed the penguins.", False),
    # --- railway
    ("The 7:15 to Leeds leaves from platform 2.", "The 7:15 to Leeds now leaves from platform 5.", True),
    ("The last train to Brighton departs at 11:40 pm.", "Effective 1 June, the last train to Brighton departs at 11:10 pm.", True),
    ("The line's operator is Southern Rail.", "Thameslink took over the line from Southern Rail.", True),
    ("The last train to Brighton departs at 11:40 pm.", "The last train to Hove departs at 11:55 pm.", False),
    ("The line's operator is Southern Rail.", "Southern Rail operates the Gatwick Express too.", False),
    ("The 7:15 to Leeds leaves from platform 2.", "Was the 7:15 to Leeds moved to platform 5?", False),
    # --- radio station
    ("The breakfast show is hosted by Dee.", "Dee has handed the breakfast show over to Kwame.", True),
    ("The station broadcasts on 98.4 FM.", "The station switched from 98.4 FM to 101.2 FM.", True),
    ("The breakfast show is hosted by Dee.", "Dee guest-hosted the drive-time show.", False),
    ("The station broadcasts on 98.4 FM.", "The station also streams online.", False),
    # --- software versions and rollbacks
    ("The payments API runs version 3.2.", "We rolled the payments API back from version 3.2 to version 3.1.", True),
    ("Production is on release 8.4.", "After the outage, production was rolled back to release 8.3.", True),
    ("The mobile app's minimum iOS version is 15.", "The mobile app's minimum iOS version was raised to 16.", True),
    ("The server runs Ubuntu 22.04.", "The server was upgraded to Ubuntu 24.04.", True),
    ("Production is on release 8.4.", "Staging is on release 8.5.", False),
    ("The payments API runs version 3.2.", "We considered rolling the payments API back to version 3.1.", False),
    ("The payments API runs version 3.2.", "We didn't roll the payments API back.", False),
    ("The server runs Ubuntu 22.04.", "The server runs Ubuntu 22.04 and Docker 24.", False),
    ("The server runs Ubuntu 22.04.", "The backup server runs Debian 12.", False),
    # --- due dates pushed back and pulled forward
    ("The audit report is due on 30 April.", "The audit report's due date was pulled forward to 15 April.", True),
    ("The thesis is due on June 1.", "Sam's supervisor pushed the thesis deadline back to July 1.", True),
    ("The audit report is due on 30 April.", "The tax return is due on 31 January.", False),
    ("The thesis is due on June 1.", "Sam hopes the thesis deadline will be pushed back.", False),
    # --- a question, then its answer
    ("The club's treasurer is Ines.", "Who's the club's treasurer now? It's Harold, since Ines resigned.", True),
    ("The team meeting is at 9 am.", "When's the team meeting these days? It's at 10 am now.", True),
    ("The team meeting is at 9 am.", "Is the team meeting still at 9 am?", False),
    ("The club's treasurer is Ines.", "Could Harold be treasurer next year?", False),
    # --- where people live and work
    ("Keiko works for Fujitsu.", "Keiko's left Fujitsu and joined Sony.", True),
    ("Omar's home is in Leeds.", "Omar has relocated to York.", True),
    ("Keiko works for Fujitsu.", "Keiko's husband works for Sony.", False),
    ("Lars lives in Malmö.", "Lars might move to Gothenburg if he gets the job.", False),
    ("Lars lives in Malmö.", "Lars said his friend moved to Gothenburg.", False),
    ("Keiko works for Fujitsu.", "Keiko didn't switch to Sony in the end.", False),
    # --- a change learned later whose stated time comes before the old note
    ("Lars lives in Malmö.", "Lars moved to Gothenburg in the spring.", True),
    ("Our accountant is Mr. Hale.", "We switched our accountant from Mr. Hale to Ms. Byrne in July.", True),
    ("The shop's manager is Pia.", "Pia handed the shop over to Jonas back in August.", True),
    # --- a charity (British spellings)
    ("The programme director is Fiona Blake.", "Fiona Blake stepped down as programme director and Tariq Aziz took the reins.", True),
    ("The organisation's headquarters are in Manchester.", "The organisation has moved its headquarters to Liverpool.", True),
    ("The centre has 60 volunteers.", "The centre's volunteers have dropped to forty-five.", True),
    ("The organisation's headquarters are in Manchester.", "The organisation opened a regional office in Liverpool.", False),
    ("The programme director is Fiona Blake.", "The finance director is Tariq Aziz.", False),
    ("The centre has 60 volunteers.", "The centre has 60 parking spaces.", False),
    ("The charity's office is in Bristol.", "The charity's office moved to Bath in October.", True),
    ("The charity's office is in Bristol.", "We might move the charity's office to Bath.", False),
    ("The charity's office is in Bristol.", "The trustees are planning to relocate the office to Bath next year.", False),
    # --- relative clauses
    ("The ferry to Arran leaves at 8 am.", "The ferry to Arran, which used to leave at 8 am, now leaves at 7:30 am.", True),
    ("Hamid manages the Dock Road depot.", "The Dock Road depot, which Hamid managed for years, is now run by Clara.", True),
    ("Hamid manages the Dock Road depot.", "Clara, who manages the Quay Street depot, visited Hamid.", False),
    ("The ferry to Arran leaves at 8 am.", "The ferry to Islay, which leaves at 7:30 am, was full.", False),
    # --- "as of", "effective", "going forward"
    ("The gym's monthly fee is 30 dollars.", "As of January, the gym's monthly fee is 35 dollars.", True),
    ("Support tickets are handled by the Lisbon team.", "Effective immediately, support tickets are handled by the Kraków team.", True),
    ("Invoices are sent on the 1st of each month.", "Going forward, invoices will be sent on the 15th.", True),
    ("The gym's monthly fee is 30 dollars.", "The gym's day pass is 8 dollars.", False),
    ("Invoices are sent on the 1st of each month.", "Reminders are sent on the 10th.", False),
    # --- promotions, hand-overs, stepping down, taking the reins
    ("The shift supervisor at the bakery is Rosa.", "Rosa has been promoted to manager, and Jin is now the shift supervisor at the bakery.", True),
    ("The shift supervisor at the bakery is Rosa.", "Rosa's cousin has been promoted to supervisor at the mill.", False),
    ("The keys to the hall are held by Mr. Patel.", "Mr. Patel handed the keys to the hall over to Mrs. Wu.", True),
    ("The chair of the housing board is Irene Falk.", "Irene Falk stepped down; the housing board's chair is now Hugo Brandt.", True),
    ("The chair of the housing board is Irene Falk.", "Irene Falk stepped down from the tennis club committee.", False),
    ("The head of the observatory is Dr. Anand.", "Dr. Kowalski took the reins at the observatory from Dr. Anand.", True),
    ("The head of the observatory is Dr. Anand.", "Dr. Kowalski took the reins of the physics society.", False),
    # --- passive voice
    ("The warehouse is run by Dimitri.", "The warehouse is now run by Yusuf.", True),
    ("The newsletter is edited by Clare.", "Since October the newsletter has been edited by Tom.", True),
    ("The warehouse is run by Dimitri.", "The warehouse was inspected by Yusuf.", False),
    ("The newsletter is edited by Clare.", "The newsletter was proofread by Tom.", False),
    # --- counts that grow and shrink, numbers written out
    ("The mailing list has 1,200 subscribers.", "The mailing list's grown to 1,450 subscribers.", True),
    ("The class has twenty-four pupils.", "Two pupils left, so the class now has twenty-two pupils.", True),
    ("The fishing fleet has thirty boats.", "The fishing fleet has shrunk to twenty-one boats.", True),
    ("The bus company runs eighteen routes.", "The bus company cut its routes from eighteen to fifteen.", True),
    ("The class has twenty-four pupils.", "The class next door has twenty-six pupils.", False),
    ("The mailing list has 1,200 subscribers.", "1,200 subscribers opened the last issue.", False),
    ("The fishing fleet has thirty boats.", "The fishing fleet caught thirty tonnes of cod.", False),
    ("The bus company runs eighteen routes.", "Route eighteen runs every fifteen minutes.", False),
    # --- multi-valued relations
    ("Hana speaks Japanese.", "Hana speaks Portuguese.", False),
    ("The lab collaborates with ETH Zurich.", "The lab collaborates with MIT.", False),
    ("Ivo plays the cello.", "Ivo now plays the viola as well.", False),
    ("Our team uses Jira.", "Our team started using Slack.", False),
    ("Pedro visited Kyoto.", "Pedro visited Osaka.", False),
    ("Amir coaches the under-12s.", "Amir coaches the under-14s as well.", False),
    # --- a vineyard: the same subject, another attribute
    ("The vineyard's manager is Luca.", "Luca handed over the running of the vineyard to Giulia.", True),
    ("The vineyard harvests in September.", "Because of the heat the vineyard now harvests in August.", True),
    ("The vineyard's manager is Luca.", "The vineyard's winemaker is Giulia.", False),
    ("The vineyard harvests in September.", "The vineyard now bottles in March.", False),
    # --- negated changes, and a change stated through a negation
    ("The school's uniform supplier is Smiths.", "The school did not switch its uniform supplier to Banks.", False),
    ("The depot is in Derby.", "We haven't moved the depot out of Derby.", False),
    ("The café opens at 8 am.", "The café never changed its opening time from 8 am.", False),
    ("The café opens at 8 am.", "The café doesn't open at 8 am anymore; it opens at 7 am.", True),
    ("Lena drives a Volvo.", "Lena no longer drives a Volvo; she drives a Tesla.", True),
    # --- a mine and a building site: reported speech
    ("The mine's output is 500 tonnes a day.", "The mine's output has risen to 650 tonnes a day.", True),
    ("The site foreman is Declan.", "Declan's been moved to Hull, and the site foreman is now Rory.", True),
    ("The mine's output is 500 tonnes a day.", "The union claims the mine's output could reach 700 tonnes a day.", False),
    ("The site foreman is Declan.", "Declan said the foreman at the Hull site is Rory.", False),
    # --- an esports team
    ("The Falcons' captain is Rin.", "Rin's been benched, and Theo is the Falcons' captain going forward.", True),
    ("The tournament final is on 9 November.", "The tournament final has been brought forward a week to 2 November.", True),
    ("The Falcons' captain is Rin.", "Theo is the captain of the Owls.", False),
    ("The tournament final is on 9 November.", "The qualifier is on 2 November.", False),
    # --- a kindergarten, a water utility, an insurer
    ("Pickup at the kindergarten is at 3 pm.", "Pickup at the kindergarten is half an hour earlier now, at 2:30 pm.", True),
    ("Pickup at the kindergarten is at 3 pm.", "Drop-off at the kindergarten is at 8 am.", False),
    ("The water rate is 2 dollars per cubic metre.", "The water rate was raised to 2.40 dollars per cubic metre.", True),
    ("The water rate is 2 dollars per cubic metre.", "The sewer rate is 1.50 dollars per cubic metre.", False),
    ("Our insurer is Allianz.", "We've switched insurers from Allianz to Aviva.", True),
    ("Our insurer is Allianz.", "Our neighbours' insurer is Aviva.", False),
    ("Our insurer is Allianz.", "Should we switch insurers to Aviva?", False),
    # --- a film shoot
    ("The film's director is Nora Quist.", "Nora Quist left the production and was replaced as director by Elias Brandt.", True),
    ("Filming wraps on 20 July.", "Filming's now set to wrap on 3 August.", True),
    ("The film's director is Nora Quist.", "Nora Quist directed a music video for the band.", False),
    ("Filming wraps on 20 July.", "The premiere is on 20 December.", False),
    # --- a harbour, a neighborhood center (American spelling), a robotics club
    ("The harbourmaster at Oban is Callum.", "Callum retired and Morag's the harbourmaster at Oban now.", True),
    ("The harbourmaster at Oban is Callum.", "Callum chatted with the harbourmaster at Mallaig.", False),
    ("The neighborhood center opens at 9 am.", "The neighborhood center has opened at 10 am since the fall.", True),
    ("The neighborhood center opens at 9 am.", "The neighborhood pool opens at 10 am.", False),
    ("The robotics club meets on Thursdays.", "The robotics club has switched its meetings from Thursdays to Wednesdays.", True),
    ("The robotics club meets on Thursdays.", "The chess club meets on Tuesdays.", False),
    ("The robotics club meets on Thursdays.", "The robotics club also meets on Saturdays during the summer.", False),
    # --- rent, a match, a bakery, a library: restated values, proposals, questions
    ("The rent is 1,100 euros a month.", "The rent has gone up to 1,250 euros a month.", True),
    ("The rent is 1,100 euros a month.", "The landlord wants to raise the rent to 1,250 euros a month.", False),
    ("The rent is 1,100 euros a month.", "The deposit is 1,100 euros.", False),
    ("The match kicks off at 3 pm.", "The match's kick-off has been moved to 5:30 pm for television.", True),
    ("The match kicks off at 3 pm.", "Does the match kick off at 5 pm?", False),
    ("The bakery's best seller is sourdough.", "Would rye become the bakery's best seller?", False),
    ("The library's director is Ms. Grant.", "The library's director, Ms. Grant, hired a new archivist.", False),
]  # fmt: skip

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = []
EVIDENCE: list[tuple[str, str, str | None]] = []
LABELS: list[tuple[str, str, bool]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []
