"""engram persistence: SQL records plus derived vector, keyword and graph indexes.

Stable surface (the recall engine and the memory facade build on these names):

- `Store` (storage.store): attributes `db` (`Database`), `vectors` (`VectorIndex`),
  `keywords` (`KeywordIndex`), `graph` (`EntityGraph`), `embedder` (`Embedder`), `home`.
  `Store.open(home, url=None, embedder=None)` opens the embedded layout under ENGRAM_HOME
  (`engram.db` + `chroma/`) and reconciles the indexes; `index(docs)` / `unindex(ids)` keep all
  three indexes in step. `sync` (storage.sync.BankSync) serialises writers of a bank across
  processes and tells a process when another one wrote.
- `Database.session()` yields a SQLModel session (commits on success). Tables live in
  `storage.schema`: Episode, Fact, Entity, Alias, FactEntity, MergeLog, Belief, BeliefEvidence,
  Observation, ObservationFact, MentalModel, IngestedUnit (storage.ingest_state) and
  PendingConsolidation (storage.outbox). Every row has a `bank`. `turn_vectors` (TurnVector,
  storage.turns) holds one derived vector per episode for recall's whole-turn channel.
- `VectorIndex.query(vector, k, bank, where=None) -> [(id, cosine)]`; metadata per entry:
  `bank`, `layer` (fact | observation | mental_model), `kind`.
- `KeywordIndex.query(text, k, bank) -> [(id, score)]` (higher is better; BM25 on SQLite FTS5,
  ts_rank_cd on PostgreSQL); ids are fact, observation or mental-model ids.
- `EntityGraph.activate(seed_entity_ids, bank)` / `.pagerank(...)` -> [(fact_id, score)];
  `entities_of(fact_id)`, `facts_of(entity_id, bank)`.
"""

from storage.db import Database
from storage.graph import EntityGraph
from storage.keyword import KeywordIndex, keyword_index_for
from storage.store import IndexDoc, Store
from storage.vectors import ChromaVectorIndex, InMemoryVectorIndex, VectorIndex

__all__ = [
    "Database",
    "EntityGraph",
    "KeywordIndex",
    "keyword_index_for",
    "IndexDoc",
    "Store",
    "VectorIndex",
    "ChromaVectorIndex",
    "InMemoryVectorIndex",
]
