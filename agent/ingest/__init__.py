"""Batch ingestion: git repositories, folders of documents, issues exports → memory.

ingestor = Ingestor(memory, IngestState(memory.store.db), corpus=None, progress=None)
report = ingestor.ingest(Path("notes/"), bank="default")
print(report.to_dict())
"""

from agent.ingest.corpus_ingest import CorpusReader, CorpusReport, CorpusSettings
from agent.ingest.errors import IngestError, MalformedExportError, UnknownInputError
from agent.ingest.pipeline import Ingestor, IngestReport, Progress, Retainer, list_units
from agent.ingest.units import Episode, Problem, Unit
from agent.ingest.walk import detect_kind
from storage.ingest_state import IngestState

__all__ = [
    "CorpusReader",
    "CorpusReport",
    "CorpusSettings",
    "Episode",
    "IngestError",
    "IngestReport",
    "IngestState",
    "Ingestor",
    "MalformedExportError",
    "Problem",
    "Progress",
    "Retainer",
    "Unit",
    "UnknownInputError",
    "detect_kind",
    "list_units",
]
