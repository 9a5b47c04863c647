"""A fifth labelled set for `bench.semantics` (`--split set5`): aliases and speaker labels only.

Written on 2026-12-07 (issue 11) before any rule was changed for it and before its first run,
in domains the earlier sets do not use (a hospital, a fire station, a quarry, an orchestra, a
brewery, a veterinary clinic, a zoo, a radio station, a newspaper, a construction site, a
police precinct, a university, an army unit, a church, an embassy, a court, a senate office,
a shop, an athletics club), with names from many cultures (Chinese, Indian, Arabic, Turkish,
Korean, Japanese, Yoruba, Igbo, Akan, Spanish double surnames, Dutch "van der", hyphenated
surnames and given names, "bin"), titles and ranks, initials, nicknames and first names
alone. There are more must-not-merge and ambiguous ALIAS cases than merges, and more LABELS
negatives than positives. Same structure as `bench.semantics_cases2`; the other categories
are empty.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

SUPERSEDE: list[tuple[str, str, bool]] = []
EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    # title + surname, the intro without the title
    (["Priyanka Ramaswamy runs the oncology ward."], "Dr. Ramaswamy reviewed the scans.", "Dr. Ramaswamy", "Priyanka Ramaswamy"),
    (["Anna Richter runs the B shift at the fire station."], "Captain Richter sent two engines to the warehouse fire.", "Captain Richter", "Anna Richter"),
    (["Omar Al-Farsi manages the quarry's blasting crew."], "Mr. Al-Farsi postponed the afternoon blast.", "Mr. Al-Farsi", "Omar Al-Farsi"),
    (["Rajesh Venkataraman supervises the robotics lab."], "Dr. Venkataraman signed the thesis form.", "Dr. Venkataraman", "Rajesh Venkataraman"),
    (["Hana Sato is the platoon's lieutenant."], "Lieutenant Sato briefed the patrol at dawn.", "Lieutenant Sato", "Hana Sato"),
    (["Amadou Keita is the ambassador to Norway."], "Ambassador Keita hosted the national day reception.", "Ambassador Keita", "Amadou Keita"),
    (["Adaeze Okonjo presides over the family court."], "Judge Okonjo adjourned the custody hearing.", "Judge Okonjo", "Adaeze Okonjo"),
    (["Grace Whitfield chairs the agriculture committee."], "Senator Whitfield defended the dairy subsidy.", "Senator Whitfield", "Grace Whitfield"),
    (["Patrick Delaney trains the sprinters at the athletics club."], "Coach Delaney moved the time trial to Sunday.", "Coach Delaney", "Patrick Delaney"),
    (["Siobhan O'Connell conducts the youth orchestra."], "Ms. O'Connell cut the second encore.", "Ms. O'Connell", "Siobhan O'Connell"),
    (["Lucy Hart-Williams runs the loyalty programme."], "Ms. Hart-Williams mailed the spring coupons.", "Ms. Hart-Williams", "Lucy Hart-Williams"),
    (["Jamal Haddad manages the night shift at the precinct."], "Mr. Haddad signed the overtime sheets.", "Mr. Haddad", "Jamal Haddad"),
    (["Carmen Ruiz Ortega covers city hall for the paper."], "Ms. Ruiz Ortega interviewed the mayor.", "Ms. Ruiz Ortega", "Carmen Ruiz Ortega"),
    # the title in the intro, the variant shorter
    (["Sergeant Diego Ramirez leads second squad."], "Sgt. Ramirez ordered a weapons check.", "Sgt. Ramirez", "Sergeant Diego Ramirez"),
    (["Reverend Samuel Adeyemi leads the parish."], "Rev. Adeyemi blessed the new organ.", "Rev. Adeyemi", "Reverend Samuel Adeyemi"),
    (["Professor Ingrid Solberg chairs the physics department."], "Prof. Solberg approved the lab budget.", "Prof. Solberg", "Professor Ingrid Solberg"),
    (["Captain Lars Eriksen commands the harbour precinct."], "Captain Eriksen doubled the night patrols.", "Captain Eriksen", "Captain Lars Eriksen"),
    (["Sister Agnes Wanjiru runs the parish clinic."], "Sister Agnes vaccinated the children on Friday.", "Sister Agnes", "Sister Agnes Wanjiru"),
    (["Mrs. Olga Petrenko teaches the piano class."], "Olga Petrenko booked the recital hall.", "Olga Petrenko", "Mrs. Olga Petrenko"),
    (["Dr. Kofi Mensah leads the night rota at the hospital."], "K. Mensah swapped shifts with a colleague.", "K. Mensah", "Dr. Kofi Mensah"),
    (["Dr. Aylin Demir runs the emergency room.", "The Demir Foundation funds the burns unit."], "Dr. Demir triaged the crash victims.", "Dr. Demir", "Dr. Aylin Demir"),
    # initial + surname, first name + initial
    (["Wei Zhang schedules the orchestra's rehearsals."], "W. Zhang published the December schedule.", "W. Zhang", "Wei Zhang"),
    (["Fatima Noor edits the business desk."], "F. Noor spiked the merger story.", "F. Noor", "Fatima Noor"),
    (["Pieter van der Berg runs the tunnel project."], "P. van der Berg cleared the backlog of permits.", "P. van der Berg", "Pieter van der Berg"),
    (["Ji-woo Kim translates the embassy's cables."], "J. Kim translated the trade memo.", "J. Kim", "Ji-woo Kim"),
    (["Tomasz Kowalczyk repairs the brewery's bottling line."], "Tomasz K. replaced the worn conveyor belt.", "Tomasz K.", "Tomasz Kowalczyk"),
    (["Hannah Oyelaran is the university registrar."], "Hannah O. extended the enrolment deadline.", "Hannah O.", "Hannah Oyelaran"),
    (["Mehmet Yilmaz stocks the electronics aisle."], "Mehmet Y. counted the returned headphones.", "Mehmet Y.", "Mehmet Yilmaz"),
    # first name alone
    (["Kwame Boateng hosts the breakfast show on the radio station."], "Kwame read the traffic news twice.", "Kwame", "Kwame Boateng"),
    (["Min-jun Park leads the crew on the bridge site."], "Min-jun poured the last deck section.", "Min-jun", "Min-jun Park"),
    (["Khalid bin Rashid handles visa appeals at the embassy."], "Khalid approved the student's appeal.", "Khalid", "Khalid bin Rashid"),
    (["Ana Sofía Herrera is the zoo's head keeper."], "Ana Sofía weighed the new penguin chicks.", "Ana Sofía", "Ana Sofía Herrera"),
    (["Eleanor Whitcombe trains the new nurses."], "Eleanor ran the hand-hygiene session.", "Eleanor", "Eleanor Whitcombe"),
    # nickname + the same surname
    (["William Okafor brews the stout at the brewery."], "Bill Okafor entered the stout in the regional fair.", "Bill Okafor", "William Okafor"),
    (["Margaret Lindqvist runs the surgery at the veterinary clinic."], "Peggy Lindqvist spayed the two kittens.", "Peggy Lindqvist", "Margaret Lindqvist"),
    (["Elizabeth Hargreaves designs the zoo's new aviary."], "Liz Hargreaves ordered the steel mesh.", "Liz Hargreaves", "Elizabeth Hargreaves"),
    (["Christopher Nakamura plays first violin."], "Chris Nakamura tuned the strings before the concert.", "Chris Nakamura", "Christopher Nakamura"),
    (["Anthony Mwangi drives the battalion's supply truck."], "Tony Mwangi refuelled at the depot.", "Tony Mwangi", "Anthony Mwangi"),
    (["Deborah Kline plays the organ on Sundays."], "Debbie Kline practised the new hymn.", "Debbie Kline", "Deborah Kline"),
    (["Susan Abernathy manages the flagship store."], "Sue Abernathy approved the holiday opening hours.", "Sue Abernathy", "Susan Abernathy"),
    (["Michael Oduya keeps the newspaper's archive."], "Mike Oduya digitised the 1970s issues.", "Mike Oduya", "Michael Oduya"),
    (["Jonathan Achterberg writes the weather column."], "Jon Achterberg filed his column late.", "Jon Achterberg", "Jonathan Achterberg"),
    (["Katherine Osei-Bonsu leads the embassy's press office.", "Osei Motors supplies the embassy cars."], "Kate Osei-Bonsu briefed the journalists.", "Kate Osei-Bonsu", "Katherine Osei-Bonsu"),
    # Spanish: the first surname alone
    (["Joaquín Morales Vega inspects the scaffolding."], "Joaquín Morales flagged a loose coupler.", "Joaquín Morales", "Joaquín Morales Vega"),

    # --- different people or things: must stay apart
    # another surname, a near one
    (["Priyanka Ramaswamy runs the oncology ward."], "Priyanka Raman joined the radiology team.", "Priyanka Raman", None),
    (["Omar Al-Farsi manages the quarry's blasting crew."], "Omar Al-Masri drives the haul truck.", "Omar Al-Masri", None),
    (["Fatima Noor edits the business desk."], "Fatima Zahra writes the travel page.", "Fatima Zahra", None),
    (["Jae Park writes the site safety plan."], "Jae Parker welds the railings.", "Jae Parker", None),
    (["Adaeze Okonjo presides over the family court."], "Judge Emeka Okonkwo presides over the criminal court.", "Judge Emeka Okonkwo", None),
    (["Hannah Oyelaran is the university registrar."], "Hannah Oyelowo teaches linguistics.", "Hannah Oyelowo", None),
    (["Wei Zhang schedules the orchestra's rehearsals."], "Wei Chen repairs the timpani.", "Wei Chen", None),
    (["Min-jun Park leads the crew on the bridge site."], "Min-jun Choi surveys the riverbank.", "Min-jun Choi", None),
    (["Lucy Hart-Williams runs the loyalty programme."], "Owen Hart stocks the shelves.", "Owen Hart", None),
    (["Pieter van der Berg runs the tunnel project."], "Johan van der Merwe runs the concrete plant.", "Johan van der Merwe", None),
    (["Khalid bin Rashid handles visa appeals at the embassy."], "Khalid bin Salman drives the ambassador.", "Khalid bin Salman", None),
    # another first name, the same surname; a nickname with another surname
    (["Sergeant Diego Ramirez leads second squad."], "Sergeant Luis Ramirez leads third squad.", "Sergeant Luis Ramirez", None),
    (["William Okafor brews the stout at the brewery."], "Bill Osei delivers the kegs.", "Bill Osei", None),
    (["Dr. Aylin Demir runs the emergency room."], "Dr. Kemal Demir runs the burns unit.", "Dr. Kemal Demir", None),
    # identifiers and versions
    (["Bed 12 is free in the oncology ward."], "Bed 14 needs fresh linen.", "Bed 14", None),
    (["Locker C7 in the fire station is jammed."], "Locker C8 is free.", "Locker C8", None),
    (["Case 2024-117 was closed by the court."], "Case 2024-118 goes to trial in March.", "Case 2024-118", None),
    (["Shaft 9 of the quarry is flooded."], "Shaft 19 is dry and open.", "Shaft 19", None),
    (["Sample TB-4471 tested positive."], "Sample TB-4472 tested negative.", "TB-4472", None),
    (["Firmware 7.4 runs on the defibrillators."], "Firmware 7.5 is still in testing.", "Firmware 7.5", None),
    (["Platoon 2 guards the north gate."], "Platoon 3 guards the fuel depot.", "Platoon 3", None),
    (["Release 2.1 of the ticketing app shipped."], "Release 2.2 of the ticketing app is in review.", "Release 2.2", None),
    # a place, a club or a company sharing a word with a person
    (["Georgia Mendes manages the night shift at the hospital."], "The embassy issued new travel advice for Georgia.", "Georgia", None),
    (["Dana Ford runs the loading dock at the store."], "Ford recalled the delivery vans.", "Ford", None),
    (["Florence Baker edits the sports page."], "The correspondent flew to Florence on Tuesday.", "Florence", None),
    (["Chelsea Moore sells the tickets at the athletics club."], "Chelsea beat Arsenal on Saturday.", "Chelsea", None),
    (["Austin Reyes anchors the evening news."], "The network opened a second bureau in Austin.", "Austin", None),
    (["Jordan Blake runs the night desk at the paper."], "The embassy in Jordan reopened on Monday.", "Jordan", None),
    # a surname or first name that is also a common word
    (["Rev. Samuel Church leads the choir."], "Church Road is closed for repairs.", "Church Road", None),
    (["Ellen Baker coaches the rowing team."], "The Baker Street branch closed early.", "Baker Street", None),
    (["Mark Olsen keeps the brewery's ledger."], "Mark the unpaid invoices in red.", "Mark", None),
    (["Will Turner manages the orchestra's instruments."], "Will the harp arrive before the concert?", "Will", None),

    # --- two candidates: stay unresolved and name both
    (["Dr. Aylin Demir runs the emergency room.", "Dr. Kemal Demir runs the burns unit."], "Dr. Demir signed the transfer.", "Dr. Demir", ("Dr. Aylin Demir", "Dr. Kemal Demir")),
    (["Anna Richter runs the A shift at the fire station.", "Jonas Richter runs the B shift at the fire station."], "Captain Richter sent two engines.", "Captain Richter", ("Anna Richter", "Jonas Richter")),
    (["Wei Zhang schedules the rehearsals.", "Wen Zhang tunes the pianos."], "W. Zhang published the schedule.", "W. Zhang", ("Wei Zhang", "Wen Zhang")),
    (["Min-jun Park leads the bridge crew.", "Min-jun Choi surveys the riverbank."], "Min-jun poured the deck.", "Min-jun", ("Min-jun Park", "Min-jun Choi")),
    (["Kenji Tanaka coaches the sprinters.", "Yumi Tanaka coaches the hurdlers."], "Coach Tanaka cancelled practice.", "Coach Tanaka", ("Kenji Tanaka", "Yumi Tanaka")),
    (["Sergeant Diego Ramirez leads second squad.", "Sergeant Luis Ramirez leads third squad."], "Sgt. Ramirez ordered a weapons check.", "Sgt. Ramirez", ("Sergeant Diego Ramirez", "Sergeant Luis Ramirez")),
    (["Reverend Samuel Adeyemi leads the parish.", "Reverend Grace Adeyemi leads the youth group."], "Rev. Adeyemi read the notices.", "Rev. Adeyemi", ("Reverend Samuel Adeyemi", "Reverend Grace Adeyemi")),
    (["Fatima Noor edits the business desk.", "Fatima Zahra edits the travel desk."], "Fatima approved the front page.", "Fatima", ("Fatima Noor", "Fatima Zahra")),
    (["Pieter van der Berg runs the tunnel project.", "Petra van der Berg runs the permits office."], "P. van der Berg cleared the backlog.", "P. van der Berg", ("Pieter van der Berg", "Petra van der Berg")),
    (["Jamal Haddad runs the night shift at the precinct.", "Jana Haddad runs the day shift at the precinct."], "J. Haddad signed the overtime sheets.", "J. Haddad", ("Jamal Haddad", "Jana Haddad")),
    (["Susan Abernathy manages the flagship store.", "Simon Abernathy manages the outlet store."], "S. Abernathy approved the holiday hours.", "S. Abernathy", ("Susan Abernathy", "Simon Abernathy")),
    (["Adaeze Okonjo presides over the family court.", "Chidi Okonjo presides over the traffic court."], "Judge Okonjo adjourned the hearing.", "Judge Okonjo", ("Adaeze Okonjo", "Chidi Okonjo")),
    (["Professor Ingrid Solberg chairs physics.", "Professor Erik Solberg chairs chemistry."], "Prof. Solberg approved the budget.", "Prof. Solberg", ("Professor Ingrid Solberg", "Professor Erik Solberg")),
    (["Kwame Boateng hosts the breakfast show.", "Kwame Asare hosts the late show."], "Kwame read the traffic news.", "Kwame", ("Kwame Boateng", "Kwame Asare")),
    (["Michael Oduya keeps the archive.", "Michelle Oduya edits the photos."], "M. Oduya digitised the old issues.", "M. Oduya", ("Michael Oduya", "Michelle Oduya")),
    (["Hana Sato is a lieutenant in the platoon.", "Ren Sato is a lieutenant on the battalion staff."], "Lieutenant Sato briefed the patrol.", "Lieutenant Sato", ("Hana Sato", "Ren Sato")),
    (["Christopher Nakamura plays first violin.", "Christina Nakamura plays the cello."], "Chris Nakamura tuned the strings.", "Chris Nakamura", ("Christopher Nakamura", "Christina Nakamura")),
    (["Ji-woo Kim translates the cables.", "Jae-hyun Kim drives the ambassador."], "J. Kim translated the memo.", "J. Kim", ("Ji-woo Kim", "Jae-hyun Kim")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    # with a title or a rank
    ("Captain Moreau: Engine two, stay on the hydrant.", "Captain Moreau", True),
    ("Sgt. Ramirez: Second squad, move out in five.", "Sgt. Ramirez", True),
    ("Nurse Okafor: The patient in bed four is stable.", "Nurse Okafor", True),
    ("Coach Delaney: Great hustle today, everyone!", "Coach Delaney", True),
    ("Rev. Adeyemi: Let us pray for the families.", "Rev. Adeyemi", True),
    ("Sister Agnes: The clinic opens at nine tomorrow.", "Sister Agnes", True),
    ("Judge Okonjo: I will hear the motion after lunch.", "Judge Okonjo", True),
    ("Senator Whitfield: My vote stays no.", "Senator Whitfield", True),
    ("Prof. Solberg: Read chapter four before Monday.", "Prof. Solberg", True),
    ("Lieutenant Sato: Radio check complete, all stations.", "Lieutenant Sato", True),
    ("Ambassador Keita: We welcome the delegation.", "Ambassador Keita", True),
    ("Mrs. Petrenko: Practise your scales every day.", "Mrs. Petrenko", True),
    ("Ms. Hart-Williams: I've emailed the coupon codes.", "Ms. Hart-Williams", True),
    ("Dr. Venkataraman: Your thesis draft reads well.", "Dr. Venkataraman", True),
    # a given name, a full name
    ("Xiaoling: I uploaded the lecture slides.", "Xiaoling", True),
    ("Arjun Mehta: I can take the Saturday night shift.", "Arjun Mehta", True),
    ("Fatima: Did the printer send the proofs?", "Fatima", True),
    ("Jae-won: Sorry, the sample results are still pending.", "Jae-won", True),
    ("Siobhan: Lovely phrasing in the slow movement, all of you.", "Siobhan", True),
    ("Oluwaseun: I'll collect the tickets at the concert hall.", "Oluwaseun", True),
    ("Mei Lin: We landed in Singapore an hour ago.", "Mei Lin", True),
    ("Björn: Thanks for covering my shift.", "Björn", True),
    ("Dmitri: Running ten minutes late, sorry.", "Dmitri", True),
    ("Hamza: The pump in shaft two is fixed now.", "Hamza", True),
    ("Ana Sofía: My cousin is visiting the zoo tomorrow.", "Ana Sofía", True),
    ("Kwame Boateng: I lost the signal during the news bulletin.", "Kwame Boateng", True),
    ("Pieter: The crane on the tunnel site is down again.", "Pieter", True),
    ("Leilani: Wow, the new café menu looks amazing!", "Leilani", True),
    ("Tomasz: We finished bottling the stout before the weekend.", "Tomasz", True),
    ("Priyanka: Can someone page the anaesthetist?", "Priyanka", True),
    ("Khalid: I stamped the visas this morning.", "Khalid", True),
    ("Grace Whitfield: Our bill passed the committee.", "Grace Whitfield", True),
    # --- a field, a section, a time, a place, a unit: never a speaker, never a person
    # a field whose value is a person
    ("Attending: Dr. Asante", "Attending", False),
    ("Captain: Anna Richter", "Captain", False),
    ("Byline: Priya Shah", "Byline", False),
    ("Reporter: Jae-won Kim", "Reporter", False),
    ("Pilot: Captain Eriksen", "Pilot", False),
    ("Chaplain: Rev. Adeyemi", "Chaplain", False),
    ("Director: Siobhan O'Connell", "Director", False),
    ("Soloists: Kwame, Siobhan and Leilani.", "Soloists", False),
    # a section or a field
    ("Diagnosis: mild concussion, no fracture.", "Diagnosis", False),
    ("Dosage: two tablets after meals.", "Dosage", False),
    ("Side effects: drowsiness and a dry mouth.", "Side effects", False),
    ("Minutes: the board approved the budget.", "Minutes", False),
    ("Headline: Quarry strike enters third day", "Headline", False),
    ("Breaking: the ferry service is suspended.", "Breaking", False),
    ("Note: the east gate is locked after dark.", "Note", False),
    ("Action item: Khalid renews the visas.", "Action item", False),
    ("Update: I fixed the broken gate.", "Update", False),
    ("Reminder: choir practice moves to Thursday.", "Reminder", False),
    ("Yield: forty hectolitres of lager.", "Yield", False),
    ("Shift start: 14:05 at the north gate.", "Shift start", False),
    ("Venue: the Rotterdam concert hall.", "Venue", False),
    ("Known issues: the projector in hall B flickers.", "Known issues", False),
    ("FYI: the embassy closes early on Friday.", "FYI", False),
    ("Highlights: record sales in the toy aisle.", "Highlights", False),
    ("Weather: rain all week in the north.", "Weather", False),
    ("Mission: deliver the vaccines by Friday.", "Mission", False),
    ("Verdict: not guilty on all counts.", "Verdict", False),
    # a time, a quarter, a day, a numbered item
    ("09:30: doors open for the press.", "09:30", False),
    ("Q3: revenue up four percent.", "Q3", False),
    ("Sunday: I preach on forgiveness.", "Sunday", False),
    ("Movement 2: the adagio drags.", "Movement 2", False),
    ("Exhibit 4: the signed lease.", "Exhibit 4", False),
    ("Psalm 23: The Lord is my shepherd.", "Psalm 23", False),
    ("Ward 7: two beds free tonight.", "Ward 7", False),
    ("Engine 3: We need a new hose.", "Engine 3", False),
    # a place, a unit, a team
    ("Berlin: rollout done in all stores.", "Berlin", False),
    ("Lagos: the embassy reopened its visa desk.", "Lagos", False),
    ("Geneva: We signed the agreement at noon.", "Geneva", False),
    ("Alpha Company: We move at dawn.", "Alpha Company", False),
    ("Team Blue: We won the relay again.", "Team Blue", False),
]
