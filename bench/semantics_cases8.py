"""An eighth labelled set for `bench.semantics` (`--split set8`): supersession, aliases and
speaker labels, held back by the lead.

Written on 2026-12-07 (issue 11) by the lead while the rule work of that day was under way on
branches, and shown to no one tuning rules: it measures whether those rules hold on wording
their authors never saw. Do not tune on it; report its figure. Domains the earlier sets do
not use (a bakery chain, a chess club, an observatory, a ski resort, a data centre, a law
firm, a ferry company, a public library, a robotics start-up, a museum, a dental practice, a
choir, a bus depot, a vineyard, a film festival), in everyday note-taking wording: shorthand,
semicolons, dashes, parentheses, "these days", "from Monday", "per the memo". As many
must-not cases as positives in each category.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

EVIDENCE: list[tuple[str, str, str | None]] = []
ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = []

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- bakery chain
    ("The Elm Street bakery opens at 6 am.", "From Monday the Elm Street bakery opens at 5:30 am.", True),
    ("Our flour supplier is Millbrook.", "We dropped Millbrook and get our flour from Stone Mill now.", True),
    ("The head baker at Elm Street is Yusuf.", "Yusuf has left; the head baker at Elm Street is Carla these days.", True),
    ("The Elm Street bakery opens at 6 am.", "The Elm Street bakery sold out of rye by 9 am.", False),
    ("Our flour supplier is Millbrook.", "Millbrook raised its prices again.", False),
    ("The head baker at Elm Street is Yusuf.", "Yusuf baked two hundred loaves for the fair.", False),
    # --- chess club
    ("The chess club meets on Tuesdays.", "The chess club meets on Thursdays now.", True),
    ("The club champion is Irina.", "Irina lost the title; Tomasz is the club champion this year.", True),
    ("The chess club meets on Tuesdays.", "The chess club also runs a junior session on Saturdays.", False),
    ("The club champion is Irina.", "Irina beat Tomasz in the blitz final.", False),
    # --- observatory
    ("The main telescope is the 1.2 m reflector.", "The 2 m reflector replaced the 1.2 m one as our main telescope.", True),
    ("The observatory has 4 staff astronomers.", "The observatory is down to 3 staff astronomers after the cuts.", True),
    ("The main telescope is the 1.2 m reflector.", "The 1.2 m reflector needs a new mirror coating.", False),
    ("The observatory has 4 staff astronomers.", "The observatory hosted 4 visiting students.", False),
    # --- ski resort
    ("The resort's general manager is Lukas Brandt.", "Per the memo, Helga Roth takes over from Lukas Brandt as general manager.", True),
    ("The gondola closes at 4:30 pm.", "The gondola closing time has been pushed back to 5:15 pm.", True),
    ("The resort's general manager is Lukas Brandt.", "Lukas Brandt skied the black run with the investors.", False),
    ("The gondola closes at 4:30 pm.", "Should the gondola close at 5 pm in March?", False),
    # --- data centre
    ("The primary region is eu-west-1.", "We failed over for good: the primary region is eu-central-1 going forward.", True),
    ("Production runs Kubernetes 1.27.", "Production was upgraded to Kubernetes 1.29 last night.", True),
    ("The on-call lead this month is Dmitri.", "Swapped rotas: Ngozi is the on-call lead this month instead of Dmitri.", True),
    ("The primary region is eu-west-1.", "We also keep backups in us-east-2.", False),
    ("Production runs Kubernetes 1.27.", "Staging runs Kubernetes 1.29.", False),
    ("The on-call lead this month is Dmitri.", "Dmitri paged the database team twice this month.", False),
    ("The primary region is eu-west-1.", "We did not move the primary region after all.", False),
    # --- law firm
    ("The managing partner is Helen Ashworth.", "Helen Ashworth retired as managing partner and was succeeded by Rafael Ibáñez.", True),
    ("The firm has two offices.", "The firm now has three offices, with the opening in Cork.", True),
    ("The managing partner is Helen Ashworth.", "Helen Ashworth argued the appeal in person.", False),
    ("The firm has two offices.", "The firm has two new associates.", False),
    # --- ferry company
    ("The morning ferry leaves at 7:15.", "The morning ferry now leaves at 6:50.", True),
    ("The flagship of the fleet is the MV Skye.", "The MV Harris has replaced the MV Skye as the flagship of the fleet.", True),
    ("The morning ferry leaves at 7:15.", "The evening ferry leaves at 19:40.", False),
    ("The flagship of the fleet is the MV Skye.", "The MV Skye is in dry dock until May.", False),
    # --- public library
    ("The branch librarian at Eastgate is Mrs. Okafor.", "Mrs. Okafor handed the Eastgate branch over to Mr. Lund.", True),
    ("Loans last three weeks.", "Loans last four weeks from January.", True),
    ("The branch librarian at Eastgate is Mrs. Okafor.", "Mrs. Okafor ran the story hour at Eastgate.", False),
    ("Loans last three weeks.", "E-book loans last two weeks.", False),
    # --- robotics start-up
    ("Our CTO is Priyanka Das.", "Priyanka Das stepped down as CTO; Owen Blake is acting CTO.", True),
    ("We build the arm controller in C++.", "We rewrote the arm controller in Rust, so it is no longer C++.", True),
    ("Our CTO is Priyanka Das.", "Our CTO is hiring two firmware engineers.", False),
    ("We build the arm controller in C++.", "We build the vision stack in Python.", False),
    ("Our CTO is Priyanka Das.", "If Priyanka Das leaves, Owen Blake would become CTO.", False),
    # --- museum
    ("The curator of the Egyptian wing is Dr. Salah.", "Dr. Salah's post as curator of the Egyptian wing went to Dr. Moreau.", True),
    ("The museum closes at 5 pm on weekdays.", "The museum closes at 5 pm on weekdays, same as last year.", False),
    ("The curator of the Egyptian wing is Dr. Salah.", "Dr. Salah lent two statues to the Louvre.", False),
    ("The museum's director is Anne Weber.", "Visitors asked whether Anne Weber is still the director.", False),
    # --- dental practice
    ("The practice has 5 dental chairs.", "We added two chairs, so the practice has 7 dental chairs.", True),
    ("Our hygienist is Bea.", "Bea moved to the Northside practice; Farah is our hygienist now.", True),
    ("The practice has 5 dental chairs.", "The practice treated 5 emergency patients on Monday.", False),
    ("Our hygienist is Bea.", "Bea recommended a softer toothbrush.", False),
    # --- choir
    ("The choir rehearses in St. Mary's hall.", "The choir has relocated its rehearsals from St. Mary's hall to the school gym.", True),
    ("The choirmaster is Mr. Evans.", "Mr. Evans is no longer the choirmaster — Ms. Pryce has the job.", True),
    ("The choir rehearses in St. Mary's hall.", "The choir sang carols in St. Mary's hall.", False),
    ("The choirmaster is Mr. Evans.", "Mr. Evans said the choir might move to Fridays.", False),
    # --- bus depot
    ("Route 14 runs every 12 minutes.", "Route 14 runs every 20 minutes since the timetable change.", True),
    ("The depot manager is Sean Kelly.", "Sean Kelly manages the depot's apprentices.", False),
    ("Route 14 runs every 12 minutes.", "Route 41 runs every 20 minutes.", False),
    # --- vineyard
    ("The winemaker at Château Lune is Élodie.", "Élodie retired, and the new winemaker at Château Lune is Bastien.", True),
    ("The harvest starts on 10 September.", "The harvest was brought forward to 2 September because of the heat.", True),
    ("The winemaker at Château Lune is Élodie.", "Élodie tasted the 2019 barrels with Bastien.", False),
    ("The harvest starts on 10 September.", "The harvest festival is on 28 September.", False),
    # --- film festival
    ("The festival's opening film is Northern Lights.", "The festival swapped its opening film: it is Salt Road instead of Northern Lights.", True),
    ("The jury president is Agnès Varga.", "Agnès Varga met the jury president for lunch.", False),
    ("The festival's opening film is Northern Lights.", "Northern Lights won the audience prize.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Yusuf Demir bakes the sourdough at Elm Street."], "Mr. Demir ordered more rye flour.", "Mr. Demir", "Yusuf Demir"),
    (["Irina Volkova won the club championship."], "I. Volkova will defend the title in May.", "I. Volkova", "Irina Volkova"),
    (["Helga Roth runs the ski school."], "Helga said the beginners' slope is icy.", "Helga", "Helga Roth"),
    (["Dmitri Sokolov is on call for the storage cluster."], "Dmitri S. restarted the storage nodes.", "Dmitri S.", "Dmitri Sokolov"),
    (["Helen Ashworth is the managing partner."], "Ms Ashworth signed the engagement letter.", "Ms Ashworth", "Helen Ashworth"),
    (["Rafael Ibáñez leads the litigation team."], "Rafa Ibáñez filed the motion on Friday.", "Rafa Ibáñez", "Rafael Ibáñez"),
    (["Margaret Lund runs the Eastgate library."], "Peggy Lund ordered the new atlases.", "Peggy Lund", "Margaret Lund"),
    (["Priyanka Das designed the gripper."], "Dr. Das presented the gripper at the expo.", "Dr. Das", "Priyanka Das"),
    (["Hassan Salah curates the Egyptian wing."], "Professor Salah dated the new papyrus.", "Professor Salah", "Hassan Salah"),
    (["Beatrice Nwosu is the practice hygienist."], "Bea Nwosu booked the cleaning slots.", "Bea Nwosu", "Beatrice Nwosu"),
    (["Gareth Evans conducts the choir."], "G. Evans picked the Easter anthem.", "G. Evans", "Gareth Evans"),
    (["Sean Kelly manages the bus depot."], "Kelly approved the new rota.", "Kelly", "Sean Kelly"),
    (["Élodie Marchand makes the wine at Château Lune."], "Élodie blended the merlot yesterday.", "Élodie", "Élodie Marchand"),
    (["Agnès Varga presides over the festival jury."], "Madame Varga announced the shortlist.", "Madame Varga", "Agnès Varga"),
    (["William Okoro fixes the gondola motors."], "Bill Okoro replaced the drive belt.", "Bill Okoro", "William Okoro"),
    (["Katarzyna Nowak keeps the club's rating list."], "Kasia Nowak updated the ratings.", "Kasia Nowak", "Katarzyna Nowak"),
    (["Tomasz Wiśniewski coaches the juniors."], "Coach Wiśniewski set a puzzle for homework.", "Coach Wiśniewski", "Tomasz Wiśniewski"),
    (["Ngozi Eze leads the network team."], "Ngozi E. rotated the TLS certificates.", "Ngozi E.", "Ngozi Eze"),
    # --- different people: must not merge
    (["Yusuf Demir bakes the sourdough at Elm Street."], "Yusuf Aydin delivers the bread.", "Yusuf Aydin", None),
    (["Helen Ashworth is the managing partner."], "Helen Ashby answers the phones.", "Helen Ashby", None),
    (["Priyanka Das designed the gripper."], "Priya Dasgupta tests the batteries.", "Priya Dasgupta", None),
    (["Sean Kelly manages the bus depot."], "Sean Kelleher drives route 14.", "Sean Kelleher", None),
    (["Gareth Evans conducts the choir."], "Gareth Owens sings bass.", "Gareth Owens", None),
    (["Margaret Lund runs the Eastgate library."], "Margaret Lundgren donated the atlases.", "Margaret Lundgren", None),
    (["Hassan Salah curates the Egyptian wing."], "Hassan Saleh guards the east door.", "Hassan Saleh", None),
    (["William Okoro fixes the gondola motors."], "William Okafor sells the lift passes.", "William Okafor", None),
    (["Agnès Varga presides over the festival jury."], "Agnès Vargas screens the short films.", "Agnès Vargas", None),
    # --- places, firms and things that share a word with a person
    (["Florence Adeyemi runs the museum shop."], "The school trip to Florence is in June.", "Florence", None),
    (["Austin Price edits the festival catalogue."], "Our second data centre is in Austin.", "Austin", None),
    (["Chelsea Moreno coaches the chess juniors."], "The ferry company sponsors Chelsea at home games.", "Chelsea", None),
    (["Jordan Ellis maintains the telescopes."], "We import the dates from Jordan.", "Jordan", None),
    (["Sydney Clarke books the choir's tours."], "The choir flew to Sydney for the festival.", "Sydney", None),
    (["Kelly Brennan handles the depot's payroll."], "Kelly Services supplies our temporary drivers.", "Kelly Services", None),
    # --- two candidates: ambiguous, both named
    (["Tomasz Wiśniewski coaches the juniors.", "Tomasz Zieliński runs the club bar."], "Tomasz locked up after the tournament.", "Tomasz", ("Tomasz Wiśniewski", "Tomasz Zieliński")),
    (["Sean Kelly manages the bus depot.", "Aoife Kelly drives the night bus."], "Kelly signed the incident report.", "Kelly", ("Sean Kelly", "Aoife Kelly")),
    (["Dmitri Sokolov is on call for the storage cluster.", "Dmitri Petrov runs the billing service."], "Dmitri will present the outage review.", "Dmitri", ("Dmitri Sokolov", "Dmitri Petrov")),
    (["Helen Ashworth is the managing partner.", "Helen Marsh is the senior associate."], "Helen reviewed the settlement.", "Helen", ("Helen Ashworth", "Helen Marsh")),
    (["Priyanka Das designed the gripper.", "Rohan Das wrote the motion planner."], "Das will demo the arm.", "Das", ("Priyanka Das", "Rohan Das")),
    (["Gareth Evans conducts the choir.", "Gwen Evans plays the organ."], "G. Evans chose the hymns.", "G. Evans", ("Gareth Evans", "Gwen Evans")),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Yusuf Demir: the rye starter needs feeding at noon.", "Yusuf Demir", True),
    ("Helga: I'll close the beginners' slope at three.", "Helga", True),
    ("Dr. Das: We ship the new gripper on Friday.", "Dr. Das", True),
    ("Ngozi Eze: certs rotated, no downtime.", "Ngozi Eze", True),
    ("Mr. Evans: Sopranos, from bar twelve please.", "Mr. Evans", True),
    ("Élodie: Les raisins sont prêts — we pick tomorrow.", "Élodie", True),
    ("Sean Kelly: Route 14 is short two drivers today.", "Sean Kelly", True),
    ("Kasia: I've updated the ratings list.", "Kasia", True),
    # --- a label, a heading or a field: no person
    ("Action items: book the hall, order the robes.", "Action items", False),
    ("Next steps: migrate the primary region, then test failover.", "Next steps", False),
    ("Root cause: an expired certificate on the load balancer.", "Root cause", False),
    ("Attendees: Helga Roth, Lukas Brandt.", "Attendees", False),
    ("Status: harvest on track, weather permitting.", "Status", False),
    ("Summary: the gondola reopened after the inspection.", "Summary", False),
    ("Reminder: loans are due back on Friday.", "Reminder", False),
    ("Agenda: rota changes, uniforms, the depot party.", "Agenda", False),
    ("Decision: the opening film is Salt Road.", "Decision", False),
    ("Eastgate: the branch closes early on Thursday.", "Eastgate", False),
]
