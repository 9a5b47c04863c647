"""Labelled questions for the offline answers (`agent.answer`), written before any tuning.

Three note sets in different styles: "osprey" (bench/data/osprey: a telemetry platform whose
broker changes, aliases, a belief that gains evidence, monthly decisions, a blocked task), "atlas" (examples/data/atlas: standups, ADRs, a reorg note,
an issues export) and "heron" (bench/data/heron: meeting minutes, chat-style weekly syncs, a
postmortem, a retro; other people, project and wording). Each case is a question as a person
would type it, the kind of answer expected, and what the answer's first line (its lead) must
hold: every group in `lead` must have one of its strings there (case-insensitive). A "nothing"
case must lead with "Memory has nothing about": there are as many of those as answerable ones.

Every fourth case (index % 4 == 3) is held out: it is never looked at while tuning, and
`bench.answers` reports it apart from the others.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Case", "CASES", "dev_cases", "held_out_cases", "NOTE_SETS"]

NOTE_SETS = ("atlas", "heron", "osprey")


@dataclass(frozen=True)
class Case:
    notes: str  # "atlas" | "heron" | "osprey"
    question: str
    kind: str  # who | why | events | belief | card | anchor | nothing
    lead: tuple[tuple[str, ...], ...] = ()  # groups of alternatives the lead must hold


def _c(notes: str, question: str, kind: str, *groups: str | tuple[str, ...]) -> Case:
    lead = tuple((g,) if isinstance(g, str) else g for g in groups)
    return Case(notes, question, kind, lead)


A, H, OS = "atlas", "heron", "osprey"
WHY_PG = ("window functions", "JSONB", "replication lag", "40 seconds")
TLS = ("TLS", "certificate")
SANDBOX = ("payments sandbox", "sandbox")

CASES: list[Case] = [
    # -- atlas: who (habits and roles) ------------------------------------------------------
    _c(A, "Who finishes tasks early?", "who", "Sarah Kim"),
    _c(A, "Which team member delivers ahead of schedule?", "who", "Sarah Kim"),
    _c(A, "who tends to finish work before the deadline", "who", "Sarah Kim"),
    _c(A, "Who on the team is usually early with their work?", "who", "Sarah Kim"),
    _c(A, "Who is the project manager?", "who", "Priya Patel"),
    _c(A, "Who owns deployments?", "who", "Bob Martinez"),
    _c(A, "who leads the backend", "who", "Alice Chen"),
    _c(A, "Who proposed moving the events store to PostgreSQL?", "who", "Alice Chen"),
    _c(A, "Who runs the Data team standup now?", "who", "Alice Chen"),
    _c(A, "Whose task slipped by a week?", "who", "Dmitri Volkov"),
    # -- atlas: why --------------------------------------------------------------------------
    _c(A, "Why did we choose PostgreSQL over MySQL?", "why", WHY_PG),
    _c(A, "why postgres instead of mysql", "why", WHY_PG),
    _c(A, "What was the reason for switching the events store to PostgreSQL?", "why", WHY_PG),
    _c(A, "How come we moved off MySQL?", "why", WHY_PG),
    _c(A, "Why did we pick MySQL at first?", "why", ("already knows MySQL", "managed MySQL")),
    # -- atlas: what blocked / happened / changed / decided -----------------------------------
    _c(A, "What blocked the last deployment?", "events", TLS),
    _c(A, "what held up the most recent deployment", "events", TLS),
    _c(A, "What blocked the v0.2 deployment?", "events", "migration script"),
    _c(A, "What went wrong with the latest deploy?", "events", TLS),
    _c(A, "What changed in the database decision?", "events", "MySQL", "PostgreSQL"),
    _c(A, "What did the team decide in October?", "events", "PostgreSQL"),
    _c(A, "which decisions did we take in September?", "events", "MySQL"),
    # -- atlas: beliefs ----------------------------------------------------------------------
    _c(
        A,
        "How did our confidence that the batch API is the right next feature change?",
        "belief",
        "batch API",
        ("0.", "%"),
    ),  # fmt: skip
    _c(
        A,
        "How sure are we that the batch API is the right next feature?",
        "belief",
        "batch API",
        ("0.", "%"),
    ),  # fmt: skip
    _c(
        A,
        "Do we still believe the batch API is the right next feature?",
        "belief",
        "batch API",
        ("0.", "%"),
    ),  # fmt: skip
    _c(
        A,
        "how confident are we about the november 28 launch date",
        "belief",
        "launch date",
        ("0.", "%"),
    ),  # fmt: skip
    # -- atlas: before / after ---------------------------------------------------------------
    _c(A, "What happened before the reorg?", "anchor", "2025-11-03"),
    _c(A, "what went on in the weeks before the reorg", "anchor", "2025-11-03"),
    _c(A, "What happened after the reorg?", "anchor", "2025-11-03"),
    # -- atlas: entity cards -----------------------------------------------------------------
    _c(A, "Who is Alice C.?", "card", "Alice Chen"),
    _c(A, "Who's Bob Martinez?", "card", "Bob Martinez"),
    _c(A, "Tell me about Dmitri", "card", "Dmitri Volkov"),
    _c(A, "What is Project Atlas?", "card", "Atlas"),
    # -- heron: who --------------------------------------------------------------------------
    _c(H, "Who finishes tasks early?", "who", "Lena Fischer"),
    _c(H, "Who is usually ahead of schedule?", "who", "Lena Fischer"),
    _c(H, "whose work keeps slipping", "who", "Tom Okafor"),
    _c(H, "Who is the product owner?", "who", "Grace Liu"),
    _c(H, "Who runs QA?", "who", "Yuki Tanaka"),
    _c(H, "Who owns the certificate pinning fixes?", "who", "Marco Rossi"),
    _c(H, "who set up the Bugsnag project", "who", "Tom Okafor"),
    _c(H, "Who rewrote the permission prompt?", "who", "Lena Fischer"),
    # -- heron: why --------------------------------------------------------------------------
    _c(H, "Why did we choose React Native over Flutter?", "why", ("TypeScript", "validation code")),
    _c(H, "why react native and not flutter", "why", ("TypeScript", "validation code")),
    _c(
        H,
        "Why did we move crash reporting to Bugsnag?",
        "why",
        ("pricing", "doubled", "stack traces"),
    ),
    _c(H, "What was the reason we left Sentry?", "why", ("pricing", "doubled", "stack traces")),
    # -- heron: events -----------------------------------------------------------------------
    _c(H, "What blocked the last release?", "events", SANDBOX),
    _c(H, "What held up the 1.4 release?", "events", ("camera permission", "App Store review")),
    _c(H, "what delayed release 1.5", "events", SANDBOX),
    _c(H, "What changed in crash reporting?", "events", "Sentry", "Bugsnag"),
    _c(H, "What did the team decide in January?", "events", ("React Native", "Bugsnag")),
    _c(H, "What did the auditors find?", "events", ("certificate pinning", "medium")),
    # -- heron: beliefs ----------------------------------------------------------------------
    _c(
        H,
        "How did our confidence that offline mode should ship before the redesign change?",
        "belief",
        "offline mode",
        ("0.", "%"),
    ),  # fmt: skip
    _c(
        H,
        "Are we still sure that offline mode should ship before the redesign?",
        "belief",
        "offline mode",
        ("0.", "%"),
    ),  # fmt: skip
    # -- heron: before / after ---------------------------------------------------------------
    _c(H, "What happened before the security audit?", "anchor", "2026-02-16"),
    _c(H, "What happened after the security audit?", "anchor", "2026-02-16"),
    # -- heron: entity cards -----------------------------------------------------------------
    _c(H, "Who is L. Fischer?", "card", "Lena Fischer"),
    _c(H, "Who is Marco?", "card", "Marco Rossi"),
    _c(H, "Tell me about Yuki Tanaka", "card", "Yuki Tanaka"),
    _c(H, "What is Heron?", "card", "Heron"),
    # -- nothing relevant in memory (as many as the answerable ones) -----------------------
    _c(A, "Why did we drop Kafka?", "nothing"),
    _c(A, "What blocked the mobile release?", "nothing"),
    _c(A, "Who is the CFO?", "nothing"),
    _c(A, "What's the weather in Paris?", "nothing"),
    _c(A, "How confident are we that GraphQL is the right API style?", "nothing"),
    _c(A, "What happened before the IPO?", "nothing"),
    _c(A, "Who is Jennifer Lopez?", "nothing"),
    _c(A, "What is Kubernetes?", "nothing"),
    _c(A, "Why did we choose Redis for caching?", "nothing"),
    _c(A, "What did the team decide about hiring?", "nothing"),
    _c(A, "Who wrote the marketing plan?", "nothing"),
    _c(A, "What blocked the Android launch?", "nothing"),
    _c(A, "what did we decide in march", "nothing"),
    _c(A, "Who is responsible for the billing service?", "nothing"),
    _c(A, "why did the office move to Berlin", "nothing"),
    _c(A, "Tell me about Zoe Carter", "nothing"),
    _c(A, "How sure are we that the chatbot will launch in May?", "nothing"),
    _c(A, "What happened after the acquisition?", "nothing"),
    _c(A, "What is the loyalty program?", "nothing"),
    _c(A, "Who fixed the printer?", "nothing"),
    _c(A, "how do I bake sourdough bread", "nothing"),
    _c(A, "What changed in the pricing decision?", "nothing"),
    _c(A, "Who finishes the quarterly tax report?", "nothing"),
    _c(A, "What blocked the iOS app review?", "nothing"),
    _c(A, "Why did we hire a designer?", "nothing"),
    _c(A, "Who is Kestrel Bank's CEO?", "nothing"),
    _c(A, "What did Alice say about Kubernetes?", "nothing"),
    _c(A, "Who owns the Kafka cluster?", "nothing"),
    _c(A, "What is Heron?", "nothing"),
    _c(A, "Who is Grace Liu?", "nothing"),
    _c(H, "Why did we switch from AWS to GCP?", "nothing"),
    _c(H, "Who owns the billing service?", "nothing"),
    _c(H, "What blocked the web portal migration?", "nothing"),
    _c(H, "Who is Priya Patel?", "nothing"),
    _c(H, "What happened after the merger?", "nothing"),
    _c(H, "How sure are we that the chatbot should launch in May?", "nothing"),
    _c(H, "What is the loyalty program?", "nothing"),
    _c(H, "Who approved the marketing budget?", "nothing"),
    _c(H, "What did the team decide in July?", "nothing"),
    _c(H, "What happened before the Black Friday sale?", "nothing"),
    _c(H, "Why did we choose PostgreSQL over MySQL?", "nothing"),
    _c(H, "What blocked the last deployment of the events store?", "nothing"),
    _c(H, "Who is the project manager of Atlas?", "nothing"),
    _c(H, "What is the batch API?", "nothing"),
    _c(H, "Who delivered the data warehouse?", "nothing"),
    _c(H, "Why did Tom move to Singapore?", "nothing"),
    _c(H, "What changed in the hiring plan?", "nothing"),
    _c(H, "Who wrote the Kubernetes operator?", "nothing"),
    _c(H, "how confident are we about the GraphQL migration", "nothing"),
    _c(H, "What's the capital of Peru?", "nothing"),
    _c(H, "Who fixed the office wifi?", "nothing"),
    _c(H, "Why did we cancel the Android tablet version?", "nothing"),
    _c(H, "What blocked the Windows installer?", "nothing"),
    _c(H, "Who is the head of legal?", "nothing"),
    _c(H, "What happened before the board meeting?", "nothing"),
    _c(A, "Why was the Tokyo office closed?", "nothing"),
    _c(A, "Who maintains the Terraform modules?", "nothing"),
    _c(A, "How did our confidence in the Rust rewrite change?", "nothing"),
    _c(A, "Tell me about the Singapore launch", "nothing"),
    # -- osprey (third set, written before tuning; answerable then unanswerable-but-similar) --
    _c(OS, "What queue do we use now?", "card", "Kafka"),
    _c(OS, "Which message broker are we on today?", "card", "Kafka"),
    _c(OS, "what message bus does osprey run on", "card", "Kafka"),
    _c(OS, "Are we still on RabbitMQ?", "card", "Kafka"),
    _c(OS, "When is the ingestion API due?", "events", ("May 29", "2026-05-29")),
    _c(OS, "what's the deadline for the ingestion API", "events", ("May 29", "2026-05-29")),
    _c(OS, "What did we decide in April?", "events", "Kafka"),
    _c(OS, "which decisions were made in april", "events", ("Kafka", "S3", "Protobuf")),
    _c(OS, "What did we decide in May?", "events", ("dashboard", "July")),
    _c(OS, "How confident are we that the loader needs sharding?", "belief", "sharding"),
    _c(OS, "how sure are we the loader has to be sharded", "belief", "sharding"),
    _c(OS, "Do we still think the loader needs sharding?", "belief", "sharding"),
    _c(OS, "Who is P. Nair?", "card", "Priya Nair"),
    _c(OS, "Who is Jonas?", "card", "Jonas Berg"),
    _c(OS, "Tell me about J. Berg", "card", "Jonas Berg"),
    _c(OS, "Who owns the ingestion API?", "who", "Priya Nair"),
    _c(OS, "Who runs on-call?", "who", "Amara Osei"),
    _c(OS, "What is blocking the schema registry?", "events", "security review"),
    _c(OS, "why is the schema registry task stuck", "events", "security review"),
    _c(OS, "Why did we move to Kafka?", "why", ("replay", "backfill")),
    _c(OS, "Why Protobuf instead of JSON?", "why", "payload size"),
    _c(OS, "What is Osprey?", "card", ("telemetry", "Osprey")),
    _c(OS, "When is the Kafka migration due?", "nothing"),
    _c(OS, "Which database do we use now?", "nothing"),
    _c(OS, "What did we decide in January?", "nothing"),
    _c(OS, "What did we decide in June?", "nothing"),
    _c(OS, "How confident are we that the API needs GraphQL?", "nothing"),
    _c(OS, "how sure are we that the dashboard needs caching", "nothing"),
    _c(OS, "Do we still think we need Redis?", "nothing"),
    _c(OS, "Who is K. Nair?", "nothing"),
    _c(OS, "Who is Priya Patel?", "nothing"),
    _c(OS, "Tell me about M. Berg", "nothing"),
    _c(OS, "Who owns the billing API?", "nothing"),
    _c(OS, "Who runs the device lab?", "nothing"),
    _c(OS, "What is blocking the mobile app?", "nothing"),
    _c(OS, "Why is the Android release stuck?", "nothing"),
    _c(OS, "Why did we move to Azure?", "nothing"),
    _c(OS, "Why GraphQL instead of REST?", "nothing"),
    _c(OS, "What is Heron?", "nothing"),
    _c(OS, "When is the public beta of the iOS app due?", "nothing"),
    _c(OS, "Which CDN are we on today?", "nothing"),
    _c(OS, "Who is the CFO of Fernhill Labs?", "nothing"),
]


def dev_cases() -> list[Case]:
    return [c for i, c in enumerate(CASES) if i % 4 != 3]


def held_out_cases() -> list[Case]:
    return [c for i, c in enumerate(CASES) if i % 4 == 3]
