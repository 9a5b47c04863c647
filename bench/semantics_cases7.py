"""A seventh labelled set for `bench.semantics` (`--split set7`): aliases and speaker labels only.

Written on 2026-12-07 (issue 11) before any rule was changed for it and before its first run,
in domains the earlier sets do not use (a law firm, an accounting practice, an architecture
studio, a container port, airline crew scheduling, a game studio, a farming co-op, a hotel,
a film production, an insurer, a charity shelter, a wine importer, a bike shop, a translation
agency, a distillery, a touring band), with names from cultures the earlier sets barely touch
(Irish and Scottish "Mc"/"Mac"/"O'", Portuguese double surnames, Ethiopian, Vietnamese,
Tongan, Maori, Persian, Greek, Polish, Filipino), and in shapes they do not use: given names
that are also places, months or virtues (Georgia, Florence, Austin, Jordan, April, June, Grace,
Hope, Victoria, Sydney, Chelsea, Paris) in both roles, company names that contain a surname,
hyphenated and double surnames, initials with and without periods, possessives, lower-case
chat, email signatures and headers, meeting-notes fields, team and product labels and chat
lines with timestamps. There are more must-not-merge and ambiguous ALIAS cases than merges,
and more LABELS negatives than positives. Same structure as `bench.semantics_cases2`; the
other categories are empty.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

SUPERSEDE: list[tuple[str, str, bool]] = []
EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    # a given name that is also a place, a month or a virtue, in a person's role
    (["Georgia Mendes-Pinto keeps the law firm's trust accounts."], "Georgia flagged two unreconciled transfers before the audit.", "Georgia", "Georgia Mendes-Pinto"),
    (["Florence Achebe counts the hotel's minibar stock."], "Thanks to Florence, the minibar count balanced for once.", "Florence", "Florence Achebe"),
    (["Austin Tremblay schedules the ferry crews."], "Austin's roster for the long weekend is on the noticeboard.", "Austin", "Austin Tremblay"),
    (["Jordan Oyelaran-Smith handles licensing at the game studio."], "I forwarded the soundtrack contract to Jordan for a second read.", "Jordan", "Jordan Oyelaran-Smith"),
    (["April Nakashima tests the nightly game builds."], "April filed nine crash reports overnight.", "April", "April Nakashima"),
    (["June Kowalski coordinates the extras on the film set."], "According to June, the extras need lunch by noon.", "June", "June Kowalski"),
    (["Grace Mbeki runs the charity's night shelter."], "Grace opened twelve extra beds for the cold snap.", "Grace", "Grace Mbeki"),
    (["Hope Tuilagi manages the co-op's seed orders."], "Ask Hope whether the barley seed has shipped.", "Hope", "Hope Tuilagi"),
    (["Sydney Okwu books the band's tour dates."], "Sydney pencilled in two extra nights in Leeds.", "Sydney", "Sydney Okwu"),
    (["Chelsea Ramírez runs the repair bench at the bike shop."], "Chelsea's bench is booked solid until Friday.", "Chelsea", "Chelsea Ramírez"),
    (["Paris Whitaker underwrites the insurer's marine policies."], "Paris turned down the trawler's storm claim.", "Paris", "Paris Whitaker"),
    (["Victoria Halloran runs the wine importer's cellar audit."], "I sat down with Victoria to go through the cellar audit.", "Victoria", "Victoria Halloran"),
    # a surname alone, possessive, next to a firm that bears it
    (["Sarah Kim leads the audit team.", "Kim & Partners shares the office floor."], "Kim's sampling plan went out on Friday.", "Kim", "Sarah Kim"),
    (["Róisín O'Sullivan runs payroll at the translation agency."], "Payroll is two days late this month, says O'Sullivan.", "O'Sullivan", "Róisín O'Sullivan"),
    (["Dr. Tomás Ferreira-Lopes reviews the insurer's injury claims."], "Ferreira-Lopes approved the whiplash claim on Tuesday.", "Ferreira-Lopes", "Dr. Tomás Ferreira-Lopes"),
    (["Eilidh MacLeod keeps the distillery's cask ledger."], "Ms MacLeod's ledger shows forty casks of the 2019 spirit.", "Ms MacLeod", "Eilidh MacLeod"),
    # initials with and without periods, Mc and O' names, hyphens
    (["Ciarán McAllister drafts the container port's berth plans."], "C. McAllister moved the feeder ship to berth four.", "C. McAllister", "Ciarán McAllister"),
    (["Dawit Bekele maintains the airline's crew app."], "D Bekele pushed a hotfix to the crew app at midnight.", "D Bekele", "Dawit Bekele"),
    (["Anna-Lena Fischer-Brandt clears customs at the port."], "A. Fischer-Brandt released the refrigerated containers.", "A. Fischer-Brandt", "Anna-Lena Fischer-Brandt"),
    (["Mary-Kate Dunleavy answers the hotel's complaints line."], "Mary-Kate D. refunded the guests in the noisy room.", "Mary-Kate D.", "Mary-Kate Dunleavy"),
    (["Fiona McDonagh restocks the wine cellar."], "Fiona M. ordered six cases of the Douro red.", "Fiona M.", "Fiona McDonagh"),
    (["Seamus O'Halloran drives the co-op's grain lorry."], "The grain lorry was parked by S O'Halloran behind the barn.", "S O'Halloran", "Seamus O'Halloran"),
    (["Beatriz Costa Almeida designs the architecture studio's hotel lobby."], "Beatriz Almeida sent over the lobby renderings.", "Beatriz Almeida", "Beatriz Costa Almeida"),
    # nicknames with the same surname
    (["Victoria Papadakis prices the wine imports."], "Vicky Papadakis raised the Riesling price by a euro.", "Vicky Papadakis", "Victoria Papadakis"),
    (["Katarzyna Nowak keeps the accounting practice's books."], "Kasia Nowak closed the quarter a day early.", "Kasia Nowak", "Katarzyna Nowak"),
    (["Robert Salonga rigs the lights for the film shoot."], "Bobby Salonga swapped the blown lamp on the crane.", "Bobby Salonga", "Robert Salonga"),
    # a header, a signature, a meeting-notes field, a timestamped chat line
    (["Mariam Al-Amin drafts the studio's floor plans."], "Please find the revised floor plan attached.\n\nRegards,\nM. Al-Amin", "M. Al-Amin", "Mariam Al-Amin"),
    (["Jordan Ellis-Moore approves the law firm's vendor invoices."], "From: J. Ellis-Moore\nSubject: vendor invoices\nAll three invoices are approved for payment.", "J. Ellis-Moore", "Jordan Ellis-Moore"),
    (["Tunde Okafor owns the booking engine's beta release."], "Attendees: Priya Raman, T. Okafor, Liam Byrne\nDecision: the beta ships on Friday.", "T. Okafor", "Tunde Okafor"),
    (["Behrouz Tehrani tunes the hotel's booking engine."], "[09:41] ops-bot: Behrouz deployed the booking fix to production.", "Behrouz", "Behrouz Tehrani"),
    (["Lan Nguyen translates the agency's Vietnamese contracts."], "14:02 - Ms. Nguyen finished the glossary for the shipping contract.", "Ms. Nguyen", "Lan Nguyen"),
    # lower-case chat
    (["Sarah Lindqvist approves the shelter's expense claims."], "ok so sarah said the expense claims are approved", "sarah", "Sarah Lindqvist"),
    (["Tevita Fifita edits the film's second reel."], "lol tevita locked the edit on reel two already", "tevita", "Tevita Fifita"),

    # --- different people or things: must stay apart
    # a given name used as a place, a month, a club, a virtue or a word
    (["Georgia Whitlock manages the barge fleet."], "Our next barge leaves for Georgia on Monday.", "Georgia", None),
    (["Florence Achebe counts the hotel's minibar stock."], "The wine shipment goes to Florence next week.", "Florence", None),
    (["Austin Tremblay schedules the ferry crews."], "The studio opened a second office in Austin.", "Austin", None),
    (["Sydney Okwu books the band's tour dates."], "The crew flew from Sydney to Auckland overnight.", "Sydney", None),
    (["Sydney Okwu books the band's tour dates."], "Ship the merchandise to Sydney by Friday.", "Sydney", None),
    (["Jordan Blake edits the studio's trailers."], "The film shoots on location in Jordan next spring.", "Jordan", None),
    (["Chelsea Ramírez runs the repair bench at the bike shop."], "Chelsea drew with Everton last night.", "Chelsea", None),
    (["Paris Whitaker underwrites the insurer's marine policies."], "Our Paris office closes for most of August.", "Paris", None),
    (["Paris Whitaker underwrites the insurer's marine policies."], "The surveyor is flying back from Paris tonight.", "Paris", None),
    (["Victoria Halloran runs the wine importer's cellar audit."], "The ferry to Victoria was cancelled because of the gale.", "Victoria", None),
    (["Grace Mbeki runs the charity's night shelter."], "Grace periods on the shelter's loans end in May.", "Grace", None),
    (["Hope Tuilagi manages the co-op's seed orders."], "Hope the seed order clears customs this week.", "Hope", None),
    (["April Nakashima tests the nightly game builds."], "The certification build is due in April.", "April", None),
    (["June Kowalski coordinates the extras on the film set."], "June was the busiest month for the extras agency.", "June", None),
    (["Georgia Mendes-Pinto keeps the law firm's trust accounts."], "The firm's partners travelled to Georgia for the arbitration.", "Georgia", None),
    (["Jordan Oyelaran-Smith handles licensing at the game studio."], "Licensing fees in Jordan doubled this year.", "Jordan", None),
    # a firm, a building or a street bearing the person's name
    (["Sarah Kim audits the charity's books."], "Kim & Partners invoiced us for the audit.", "Kim & Partners", None),
    (["Ciarán McAllister drafts the container port's berth plans."], "McAllister Shipping lost a container overboard in the storm.", "McAllister Shipping", None),
    (["Tom O'Brien runs the bike shop's rentals."], "O'Brien Logistics delivered the new rental bikes.", "O'Brien Logistics", None),
    (["Paris Whitaker underwrites the insurer's marine policies."], "The Whitaker Building is closed for the bank holiday.", "Whitaker Building", None),
    (["Hope Tuilagi manages the co-op's seed orders."], "Hope Street depot is closed for resurfacing.", "Hope Street", None),
    (["Victoria Halloran runs the wine importer's cellar audit."], "The pallets arrived at Victoria Station at dawn.", "Victoria Station", None),
    # a near surname, another Mc or O' name, another hyphenated name
    (["Fiona McDonagh restocks the wine cellar."], "Fiona McDonald joined the tasting panel.", "Fiona McDonald", None),
    (["Róisín O'Sullivan runs payroll at the translation agency."], "Róisín O'Shea proofreads the Irish translations.", "Róisín O'Shea", None),
    (["Eilidh MacLeod keeps the distillery's cask ledger."], "Eilidh MacLean guides the distillery tours.", "Eilidh MacLean", None),
    (["Anna-Lena Fischer-Brandt clears customs at the port."], "Anna-Lena Fischer-Wendt inspects the cranes.", "Anna-Lena Fischer-Wendt", None),
    (["Victoria Papadakis prices the wine imports."], "Victoria Papas writes the tasting notes.", "Victoria Papas", None),
    (["Beatriz Costa Almeida designs the architecture studio's hotel lobby."], "Beatriz Costa Reis models the facade.", "Beatriz Costa Reis", None),
    # another initial, another first name, a nickname with another surname
    (["Dawit Bekele maintains the airline's crew app."], "T. Bekele rebuilt the rostering dashboard.", "T. Bekele", None),
    (["Seamus O'Halloran drives the co-op's grain lorry."], "Declan O'Halloran mends the fences.", "Declan O'Halloran", None),
    (["Katarzyna Nowak keeps the accounting practice's books."], "Kasia Wójcik files the tax returns.", "Kasia Wójcik", None),
    (["Sarah Lindqvist approves the shelter's expense claims."], "Sarah L. Berg volunteers on Tuesdays.", "Sarah L. Berg", None),
    # identifiers, versions, quarters
    (["The Q3 Roadmap lists billing and single sign-on."], "The Q4 Roadmap adds audit logs.", "Q4 Roadmap", None),
    (["Flight BA117 departs at 06:40."], "Flight BA118 was delayed by the storm.", "BA118", None),
    (["Suite 12B has a broken air conditioner."], "Suite 12C was cleaned this morning.", "Suite 12C", None),
    (["Invoice 4471 from the printer is overdue."], "Invoice 4417 was paid in full.", "Invoice 4417", None),
    (["Reel 2 of the film is locked."], "Reel 3 still needs colour grading.", "Reel 3", None),
    (["Berth 4 at the container port is free."], "Berth 14 has a feeder ship alongside.", "Berth 14", None),

    # --- two candidates: stay unresolved and name both
    (["Georgia Mendes keeps the trust accounts.", "Georgia Lam keeps the client ledgers."], "Georgia approved the refund to the client.", "Georgia", ("Georgia Mendes", "Georgia Lam")),
    (["Sarah Kim leads the audit team.", "Daniel Kim leads the tax team."], "Kim's report is late again.", "Kim", ("Sarah Kim", "Daniel Kim")),
    (["Seán McAllister drafts the berth plans.", "Siobhán McAllister runs the crane crews."], "S. McAllister moved the feeder ship.", "S. McAllister", ("Seán McAllister", "Siobhán McAllister")),
    (["Aoife O'Neill edits the Irish subtitles.", "Niamh O'Neill edits the English subtitles."], "Ms. O'Neill sent the subtitles back.", "Ms. O'Neill", ("Aoife O'Neill", "Niamh O'Neill")),
    (["April Nakashima tests the console builds.", "April Dunn tests the mobile builds."], "April signed off the release candidate.", "April", ("April Nakashima", "April Dunn")),
    (["James Ellis approves the vendor invoices.", "Jasmine Ellis approves the travel claims."], "J Ellis approved the hotel bill.", "J Ellis", ("James Ellis", "Jasmine Ellis")),
    (["Hope Tuilagi manages the seed orders.", "Hope Ngata manages the fertiliser orders."], "Ask Hope about the delivery date.", "Hope", ("Hope Tuilagi", "Hope Ngata")),
    (["Chris Murphy rigs the stage.", "Chris Mahuika runs the sound desk."], "Chris M. fixed the monitor mix.", "Chris M.", ("Chris Murphy", "Chris Mahuika")),
    (["Dr. Tomás Ferreira-Lopes reviews the injury claims.", "Dr. Inês Ferreira-Lopes reviews the travel claims."], "Dr. Ferreira-Lopes approved the claim.", "Dr. Ferreira-Lopes", ("Dr. Tomás Ferreira-Lopes", "Dr. Inês Ferreira-Lopes")),
    (["Sydney Okwu books the tour dates.", "Sydney Park books the hotels."], "Sydney's spreadsheet has the Leeds dates.", "Sydney", ("Sydney Okwu", "Sydney Park")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    # a given name that is also a place, a month or a virtue
    ("Sydney: I'll cover the standup tomorrow.", "Sydney", True),
    ("June: I've booked the caterers for the wrap party.", "June", True),
    ("Grace: Thanks, the shelter has enough blankets now.", "Grace", True),
    ("Austin: can you send me the ferry roster?", "Austin", True),
    ("Paris: I declined the trawler claim this morning.", "Paris", True),
    ("Florence: Sorry, I missed the minibar count.", "Florence", True),
    ("Chelsea: my bench is free after lunch.", "Chelsea", True),
    ("Jordan: I'll review the licence tonight.", "Jordan", True),
    ("April: I reproduced the crash on level three.", "April", True),
    ("Victoria: I tasted the new Riesling and loved it.", "Victoria", True),
    # Mc and O' names, hyphens, initials, names from many cultures
    ("Ms. O'Sullivan: Payroll goes out on Thursday, I promise.", "Ms. O'Sullivan", True),
    ("Ciarán McAllister: I moved the ship to berth four.", "Ciarán McAllister", True),
    ("Mary-Kate: I refunded both guests.", "Mary-Kate", True),
    ("D. Bekele: I pushed the crew app fix.", "D. Bekele", True),
    ("Tevita Fifita: I've locked the edit for reel two.", "Tevita Fifita", True),
    ("Aroha: Kia ora team, I'm working from Wellington today.", "Aroha", True),
    ("Eilidh: I've updated the cask ledger.", "Eilidh", True),
    ("Siddharth: we're closing the quarter's books tonight, so hold your receipts.", "Siddharth", True),
    ("Behrouz: I shipped the samples to the lab.", "Behrouz", True),
    ("Nguyen Van Minh: I sent the translated contract.", "Nguyen Van Minh", True),
    # a chat line with a timestamp
    ("[09:14] Sarah Kim: pushed the hotfix to staging, can you check?", "Sarah Kim", True),
    ("14:02 Kasia Nowak: I closed the ledger for March.", "Kasia Nowak", True),

    # --- a place, a month, a team, a product, a field, a time: never a person speaking
    # a place or a month that is also a given name, not speaking
    ("Sydney: office closed for the public holiday.", "Sydney", False),
    ("June: bookings up twelve percent on last year.", "June", False),
    ("April: rainfall well below the ten-year average.", "April", False),
    ("Georgia: new VAT rules apply from January.", "Georgia", False),
    ("Victoria: the state lifted the fishing ban.", "Victoria", False),
    ("Jordan: the embassy reopened its visa section on Monday.", "Jordan", False),
    ("Florence: the wine fair moved to May.", "Florence", False),
    ("Chelsea: won two-nil at home.", "Chelsea", False),
    # a city or an office reporting, even with "we" or "I"
    ("Porto: we signed the lease on the warehouse.", "Porto", False),
    ("Auckland: I landed an hour ago and the crew bus is here.", "Auckland", False),
    ("Paris office: lease renewed until 2028.", "Paris office", False),
    ("Hope Street depot: forklift out of service.", "Hope Street depot", False),
    # a team, a product, a department, a firm
    ("Phoenix: sprint 12 closed with two bugs open.", "Phoenix", False),
    ("Q3 Roadmap: billing, SSO and audit logs.", "Q3 Roadmap", False),
    ("Platform squad: we paged the on-call twice.", "Platform squad", False),
    ("Marketing: We launched the spring campaign.", "Marketing", False),
    ("Finance: I need the receipts by Friday.", "Finance", False),
    ("Kim & Partners: invoice 4471 attached.", "Kim & Partners", False),
    # a header or a meeting-notes field
    ("Attendees: Sarah Kim, T. Okafor, Liam Byrne", "Attendees", False),
    ("Action items: Jordan sends the licence back.", "Action items", False),
    ("Subject: berth plan for Monday", "Subject", False),
    ("From: Paris Whitaker", "From", False),
    ("Decision: ship the beta on Friday.", "Decision", False),
    ("Blockers: none this week.", "Blockers", False),
    ("Owner: Grace Mbeki", "Owner", False),
    ("Summary: we're over budget by four percent.", "Summary", False),
    ("Vintage: Douro red, 2015.", "Vintage", False),
    # a time, a day, a numbered item
    ("Monday 9:30: standup moved to the big room.", "Monday 9:30", False),
    ("Day 3: we shot the harbour scenes.", "Day 3", False),
    ("Reel 2: colour grading done.", "Reel 2", False),
    ("Berth 4: the reefer plug is faulty.", "Berth 4", False),
    ("Sprint 12 retro: too many late merges.", "Sprint 12 retro", False),
]
