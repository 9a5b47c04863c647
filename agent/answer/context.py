"""What every answer strategy works with: the memory, the bank, the parsed question, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from agent.answer.evidence import Evidence, gather
from agent.answer.nlp import parse
from agent.answer.question import Question
from memory.lookup import similarities
from memory.models import TimeRange

__all__ = ["AnswerContext", "AnswerMemory", "is_person_name"]

_FRAME = "{} said hello."  # a neutral frame in which the small NER model tags names reliably


def is_person_name(name: str) -> bool:
    """Does the NER model read `name` as a person's name (in a neutral sentence)?"""
    doc = parse(_FRAME.format(name))
    return any(e.label_ == "PERSON" and name.split()[0] in e.text for e in doc.ents)


@runtime_checkable
class AnswerMemory(Protocol):
    """What composing an answer reads: `memory.memory.Memory` (its `store` serves
    `memory.lookup`)."""

    store: Any

    async def arecall(self, query: str, **kwargs: Any) -> list[Any]: ...

    async def aentity(self, name: str, bank: str = "default") -> Any: ...

    async def abeliefs(self, topic: str | None = None, bank: str = "default") -> list[Any]: ...


@dataclass
class AnswerContext:
    memory: Any
    bank: str
    question: Question
    _canonical: dict[str, str | None] = field(default_factory=dict)

    async def evidence(
        self,
        query: str | None = None,
        time_range: TimeRange | None = None,
        as_of: datetime | None = None,
    ) -> list[Evidence]:
        q = self.question
        return await gather(
            self.memory, self.bank, q.text, q.content, query=query, time_range=time_range,
            as_of=as_of,
        )  # fmt: skip

    async def entity(self, name: str) -> Any:
        return await self.memory.aentity(name, bank=self.bank)

    async def canonical(self, name: str) -> str | None:
        """The canonical name memory holds for `name` (an alias works), else None."""
        if name not in self._canonical:
            ent = await self.entity(name)
            self._canonical[name] = ent.name if ent is not None else None
        return self._canonical[name]

    def similarity(self, query: str, texts: list[str]) -> list[float]:
        return similarities(self.memory, query, texts)
