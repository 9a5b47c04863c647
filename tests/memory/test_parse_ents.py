"""Entities-only parses (issue 16) read the same entities as full parses, cheaper."""

from memory.extract.nlp import parse_ents, parse_many

FRAMES = [
    "Oksana Petrenko and I went to lunch.",
    "Ferreira said hello.",
    "I met Lisbon yesterday.",
    "Judge Baker said hello.",
    "Sunday and I went to lunch.",
]


def test_entities_only_parse_reads_the_same_entities() -> None:
    full = parse_many(FRAMES)
    for text, doc in zip(FRAMES, full, strict=True):
        ents = parse_ents(text + " ")  # a text not cached as a full Doc
        assert [(e.text, e.label_) for e in ents.ents] == [(e.text, e.label_) for e in doc.ents]


def test_entities_only_doc_has_no_parse() -> None:
    doc = parse_ents("Marisol Quintero said goodbye.")
    assert not doc.has_annotation("DEP")
    assert [e.label_ for e in doc.ents] == [e.label_ for e in parse_many([doc.text])[0].ents]
