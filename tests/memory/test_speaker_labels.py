"""Speaker labels through the public Memory API on the real stack: "Name: ..." opening a line
makes Name a person when the label reads as a name and the body as speech, whatever the name
(given names the lexicon lacks, names that are also English words); field labels ("Status:",
"Update:", "Reminder:") are never people, whatever their body says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import is_person_label, real_memory_fixture

pytestmark = pytest.mark.slow

T0 = datetime(2025, 5, 2, 9, 0, tzinfo=UTC)


mem = real_memory_fixture("labels")


def _is_person(mem: Memory, text: str, label: str) -> bool:
    return is_person_label(mem, text, label, f"lab-{abs(hash(text))}", T0)


SPEAKERS = [
    ("Omar: Yes, my flight lands at six.", "Omar"),
    ("Pablo: I fixed the sink in the staff room.", "Pablo"),
    ("Joy: Thanks, that helps a lot!", "Joy"),
    ("Faith: I can take the late shift on Sunday.", "Faith"),
    ("Noor: My laptop died again during the demo.", "Noor"),
    ("Elif: We sold every ticket for the matinee.", "Elif"),
    ("Carmen: Wow, the garden looks great after the rain.", "Carmen"),
    ("Aditi: We should book the hall before March.", "Aditi"),
    ("Tomás: I missed the train again.", "Tomás"),
    ("Ayesha: Sorry, the printer jammed.", "Ayesha"),
    ("Bruno: We ran out of milk.", "Bruno"),
    ("Ingrid: Hi all, the vote is at noon.", "Ingrid"),
]

FIELDS = [
    ("Update: we shipped the fix to the kiosk.", "Update"),
    ("Note: I'll be out on Friday.", "Note"),
    ("Status: we are on track for the launch.", "Status"),
    ("Decision: we go with the cheaper venue.", "Decision"),
    ("Reminder: please bring your badge.", "Reminder"),
    ("Summary: our costs went up in May.", "Summary"),
    ("Concern: I think the budget is tight.", "Concern"),
    ("Feedback: thanks for the quick turnaround.", "Feedback"),
    ("Priority: we fix the login first.", "Priority"),
    ("Plan: I call the vendor on Monday.", "Plan"),
    ("Warning: I saw ice on the steps.", "Warning"),
    ("Owner: I will take it.", "Owner"),
]


@pytest.mark.parametrize("text,label", SPEAKERS)
def test_a_name_speaking_is_a_person(mem: Memory, text: str, label: str) -> None:
    assert _is_person(mem, text, label)


@pytest.mark.parametrize("text,label", FIELDS)
def test_a_field_label_is_never_a_person(mem: Memory, text: str, label: str) -> None:
    assert not _is_person(mem, text, label)


def test_chat_lines_attribute_first_person_statements(mem: Memory) -> None:
    bank = "chat-attrib"
    text = (
        "Omar: I think the ferry will be late.\n"
        "Status: the pier is open.\n"
        "Carmen: Thanks, I will wait inside."
    )
    mem.retain(text, mentioned_at=T0, bank=bank)
    assert mem.entity("Omar", bank=bank) is not None
    assert mem.entity("Carmen", bank=bank) is not None
    status = mem.entity("Status", bank=bank)
    assert status is None or status.kind != "person"
