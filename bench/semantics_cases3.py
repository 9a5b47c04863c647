"""A third labelled set for `bench.semantics` (`--split set3`), written before it was ever run.

Written by the lead on 2026-12-07, after the rules were tuned on the dev split and on set2, as
the check that they generalise: other domains again (a port, a theatre, a farm, an airline, a
hotel, a library, a data team, a game studio, a football club, a bank branch), other sentence
shapes, and no paraphrase of the sentences of the first two sets. Same structure as
`bench.semantics_cases2`. Not to be tuned on: a rule changed because of a failure here makes
this set worthless as a measure; write a new set instead.
"""

from __future__ import annotations

__all__ = ["SUPERSEDE", "ALIAS", "EVIDENCE", "LABELS", "ANCHORS"]

# fmt: off

SUPERSEDE: list[tuple[str, str, bool]] = [
    # --- the same single-valued attribute changes
    ("The harbour master is Captain Erik Lund.", "Captain Erik Lund retired and Astrid Holm is the new harbour master.", True),
    ("The theatre's artistic director is Simone Beaulieu.", "Simone Beaulieu was replaced as artistic director by Marc Oyelaran.", True),
    ("The farm has 120 cows.", "The herd on the farm has grown to 150 cows.", True),
    ("Flight 212 departs at 9:30.", "Flight 212 now departs at 10:05.", True),
    ("The hotel's check-in time is 3 pm.", "As of this month, the hotel's check-in time is 2 pm.", True),
    ("The library is open until 8 pm.", "The library is now open until 10 pm.", True),
    ("Our data warehouse is Redshift.", "We moved our data warehouse from Redshift to BigQuery.", True),
    ("The studio's game engine is Unity.", "The studio switched its game engine from Unity to Godot.", True),
    ("The club's head coach is Arturo Vidal.", "Arturo Vidal was sacked and Lena Brandt took over as head coach.", True),
    ("The branch manager is Mr. Osei.", "Ms. Varga succeeded Mr. Osei as branch manager.", True),
    ("Nadia is based in Lyon.", "Nadia relocated to Geneva.", True),
    ("The membership fee is 40 euros a year.", "The membership fee was raised to 55 euros a year.", True),
    ("The nightly ETL job runs at 1 am.", "The nightly ETL job was moved to 3 am.", True),
    ("The port handles 30 ships a day.", "The port now handles 45 ships a day.", True),
    ("The release candidate is build 4.2.", "Build 4.3 replaced build 4.2 as the release candidate.", True),
    ("Omar manages the night desk at the hotel.", "Omar no longer manages the night desk at the hotel; Keiko does.", True),
    # --- multi-valued relations, another attribute, another subject: keep both
    ("We use Airflow.", "We use dbt for transformations.", False),
    ("Nadia speaks French.", "Nadia speaks German.", False),
    ("The farm grows wheat.", "The farm grows barley too.", False),
    ("Omar reviewed the booking system.", "Omar reviewed the payroll system.", False),
    ("The library lends e-books.", "The library lends board games.", False),
    ("Flight 212 departs at 9:30.", "Flight 214 departs at 11:00.", False),
    ("The theatre's artistic director is Simone Beaulieu.", "The theatre's lighting designer is Paul Ngata.", False),
    ("The club's head coach is Arturo Vidal.", "The youth team's head coach is Dario Fo.", False),
    ("Our data warehouse is Redshift.", "Our message broker is Kafka.", False),
    ("The hotel has 80 rooms.", "The hotel has 3 restaurants.", False),
    ("Lena met the sponsors.", "Lena met the players.", False),
    ("The studio is working on a racing game.", "The studio is working on a puzzle game as well.", False),
    ("Astrid fixed the crane.", "Astrid fixed the radio.", False),
    ("The port handles 30 ships a day.", "The port handles 2,000 containers a day.", False),
    ("The library is open until 8 pm.", "The café next to the library is open until 6 pm.", False),
    ("Keiko likes the new booking system.", "Keiko likes the old lobby.", False),
]

ALIAS: list[tuple[list[str], str, str, str | None | tuple[str, ...]]] = [
    # --- one candidate: the variant resolves to it
    (["Ingrid Solberg runs the ticket office."], "I. Solberg reopened the ticket office.", "I. Solberg", "Ingrid Solberg"),
    (["Mateus Ferreira keeps the herd records."], "Mateus F. updated the herd records.", "Mateus F.", "Mateus Ferreira"),
    (["Katherine Doyle chairs the library board."], "Kate Doyle opened the board meeting.", "Kate Doyle", "Katherine Doyle"),
    (["Anselm Richter pilots the morning flight."], "Captain Richter delayed the morning flight.", "Captain Richter", "Anselm Richter"),
    (["Farida Haddad leads the data team."], "Farida reviewed the dashboard.", "Farida", "Farida Haddad"),
    (["William Turner audits the branch."], "Bill Turner signed the audit.", "Bill Turner", "William Turner"),
    (["Dr. Helga Brun treats the cattle."], "Helga Brun vaccinated the calves.", "Helga Brun", "Helga Brun"),
    (["Rafael Moreno designs the levels."], "Prof. Rafael Moreno gave a talk on level design.", "Prof. Rafael Moreno", "Rafael Moreno"),
    # --- must stay apart
    (["Ingrid Solberg runs the ticket office."], "Ingrid Nyberg sold the tickets.", "Ingrid Nyberg", None),
    (["Gate B12 is closed for repairs."], "Gate B14 is open.", "Gate B14", None),
    (["Build 4.2 failed the smoke test."], "Build 4.3 passed the smoke test.", "Build 4.3", None),
    (["William Turner audits the branch."], "Will Tanner opened an account.", "Will Tanner", None),
    (["Crane 3 lifted the containers."], "Crane 5 was serviced.", "Crane 5", None),
    (["Dr. Helga Brun treats the cattle."], "Dr. Olaf Brun treats the horses.", "Dr. Olaf Brun", None),
    # --- two candidates: ambiguous, say so
    (["Jonas Weber runs the box office.", "Jonas Keller builds the sets."], "Jonas ordered more paint.", "Jonas", ("Jonas Weber", "Jonas Keller")),
    (["Priya Raman writes the queries.", "Pavel Raman maintains the pipelines."], "P. Raman fixed the failing job.", "P. Raman", ("Priya Raman", "Pavel Raman")),
    (["Elena Costa flies the cargo route.", "Elena Marsh flies the night route."], "Elena swapped shifts.", "Elena", ("Elena Costa", "Elena Marsh")),
]

EVIDENCE: list[tuple[str, str, str | None]] = [
    # --- support
    ("I think the port needs a second crane.", "Ships queued for two days this week, which strengthens the case for a second crane at the port.", "support"),
    ("We believe the matinee shows will sell out.", "The first three matinee shows sold out, confirming that the matinee shows sell out.", "support"),
    ("I suspect the calves are short of selenium.", "The vet's blood test found the calves short of selenium.", "support"),
    ("I think late check-out will raise our guest ratings.", "Guest ratings went up after we offered late check-out, more evidence that late check-out raises ratings.", "support"),
    ("We think the nightly ETL job is too slow for the morning reports.", "The morning reports were late again because the nightly ETL job ran too long, which backs our view that it is too slow.", "support"),
    ("I believe the racing game will appeal to younger players.", "The playtest showed younger players loved the racing game.", "support"),
    # --- contradict
    ("I think the port needs a second crane.", "Traffic dropped by half, so the port does not need a second crane after all.", "contradict"),
    ("We believe the matinee shows will sell out.", "The matinee shows were half empty, so they are unlikely to sell out.", "contradict"),
    ("I suspect the calves are short of selenium.", "The blood test ruled out a selenium shortage in the calves.", "contradict"),
    ("I think late check-out will raise our guest ratings.", "Guest ratings did not change with late check-out, which undermines the idea that it raises them.", "contradict"),
    ("We think the nightly ETL job is too slow for the morning reports.", "It turned out the nightly ETL job is not too slow; the reports were late because of a broken dashboard.", "contradict"),
    ("I believe the racing game will appeal to younger players.", "The playtest showed younger players found the racing game boring, so it will not appeal to them.", "contradict"),
    # --- unrelated
    ("I think the port needs a second crane.", "The harbour café started serving breakfast.", None),
    ("We believe the matinee shows will sell out.", "The theatre repainted its foyer.", None),
    ("I suspect the calves are short of selenium.", "The tractor needs new tyres.", None),
    ("I think late check-out will raise our guest ratings.", "The hotel hired a new pastry chef.", None),
    ("We think the nightly ETL job is too slow for the morning reports.", "Farida gave a talk about hiring.", None),
    ("I believe the racing game will appeal to younger players.", "The studio moved to a bigger office.", None),
]

LABELS: list[tuple[str, str, bool]] = [
    # --- a person speaking
    ("Ingrid: I sold every ticket for Friday.", "Ingrid", True),
    ("Mateus Ferreira: I moved the herd to the north field.", "Mateus Ferreira", True),
    ("Captain Lund: We dock at six tomorrow.", "Captain Lund", True),
    ("Farida: honestly, my queries are faster now.", "Farida", True),
    ("Ms. Varga: I approved the loan this morning.", "Ms. Varga", True),
    ("Kenji: oh, I forgot the keys to the archive.", "Kenji", True),
    # --- a field label, never a person
    ("Summary: the port handled 30 ships.", "Summary", False),
    ("Agenda item: the membership fee.", "Agenda item", False),
    ("Next steps: move the ETL job to 3 am.", "Next steps", False),
    ("Location: north field, gate 2.", "Location", False),
    ("Priority: high, the crane is down.", "Priority", False),
    ("Assignee: Farida Haddad", "Assignee", False),
]

_PORT = [("2025-04-02", "Dockworkers reported a broken crane."),
         ("2025-04-14", "The new container terminal opened."),
         ("2025-04-25", "Dockworkers reported flooding on pier 3.")]  # fmt: skip
_THEATRE = [("2025-10-01", "Audiences complained about the cold auditorium."),
            ("2025-10-10", "The theatre installed new seats."),
            ("2025-10-22", "Audiences complained about the long queues at the bar.")]  # fmt: skip

ANCHORS: list[tuple[list[tuple[str, str]], str, list[str], list[str]]] = [
    (_PORT, "what did dockworkers report before the container terminal opened?",
     [_PORT[0][1]], [_PORT[1][1], _PORT[2][1]]),
    (_PORT, "dockworker reports after the new container terminal opened",
     [_PORT[2][1]], [_PORT[0][1], _PORT[1][1]]),
    (_THEATRE, "audience complaints before the theatre installed new seats",
     [_THEATRE[0][1]], [_THEATRE[1][1], _THEATRE[2][1]]),
    (_THEATRE, "what did audiences complain about after the new seats were installed?",
     [_THEATRE[2][1]], [_THEATRE[0][1], _THEATRE[1][1]]),
]
# fmt: on
