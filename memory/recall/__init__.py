"""Hybrid recall: vector + keyword + graph + temporal channels, fused, with provenance."""

from memory.recall.fusion import expand_context, fuse_scores, weighted_rrf
from memory.recall.pipeline import RecallConfig, recall
from memory.recall.query import QueryAnalysis, analyse_query

__all__ = [
    "recall",
    "RecallConfig",
    "analyse_query",
    "QueryAnalysis",
    "fuse_scores",
    "weighted_rrf",
    "expand_context",
]
