"""Batch ingestion: git repositories, folders of documents, issues exports → memory.

ingestor = Ingestor(memory, IngestState(memory.store.db), digester=None, progress=None)
report = ingestor.ingest(Path("notes/"), bank="default")
print(report.to_dict())
"""

from agent.ingest.digest import Digest, Digester, RLMDigester
from agent.ingest.errors import IngestError, MalformedExportError, UnknownInputError
from agent.ingest.pipeline import Ingestor, IngestReport, Progress, Retainer, list_units
from agent.ingest.units import Episode, Problem, Unit
from agent.ingest.walk import detect_kind
from storage.ingest_state import IngestState

__all__ = [
    "Digest",
    "Digester",
    "Episode",
    "IngestError",
    "IngestReport",
    "IngestState",
    "Ingestor",
    "MalformedExportError",
    "Problem",
    "Progress",
    "RLMDigester",
    "Retainer",
    "Unit",
    "UnknownInputError",
    "detect_kind",
    "list_units",
]
