"""A slow NetBox (issue 11, point 3): one deadline per question, fallbacks included; a timeout is
explained as a timeout; a fallback that answers another question is partial and says what it
answered instead. One endpoint stalls (harness Mode.only), the rest of NetBox answers."""

from __future__ import annotations

import dataclasses

import pytest

from .harness import BY_NAME, DEADLINE, RealNetBox, problems, run_question

pytestmark = pytest.mark.integration

CASES = [
    # (stalled endpoint, question, what the simplified answer must say it answered instead)
    # The topology reads its interfaces in one GraphQL query (issue 19): stalling that query is what it
    # falls back from.
    (
        "/graphql/",
        "VLANs with their devices and interfaces",
        "the VLANs only, without their interfaces and devices",
    ),
    ("/api/dcim/devices/", "rack utilization at MDF", "the racks only, without the rack units used"),
]


@pytest.mark.parametrize("only,question,instead", CASES)
async def test_fallback_says_what_it_answered_instead(
    only: str, question: str, instead: str, real: RealNetBox
) -> None:
    mode = dataclasses.replace(BY_NAME["stall"], only=only)
    run = await run_question(mode, question, real)
    a = run.answer
    assert a is not None and a.status == "partial", (a.status if a else run.crash, a.answer if a else "")
    assert "Simplified answer (NetBox did not answer" in a.answer and instead in a.answer, a.answer
    assert a.plan.kind == "fallback"
    assert run.wall < DEADLINE + 0.5  # the fallback ran inside the question's one deadline
    assert not [p for p in problems(run) if not p.startswith("expected an error")]


@pytest.mark.parametrize(
    "question", ["devices at dm akron", "show device dmi01-akorn-rtr01", "interfaces on ncsu-coreswitch1"]
)
async def test_stall_is_explained_as_a_timeout_within_the_deadline(question: str, real: RealNetBox) -> None:
    run = await run_question(BY_NAME["stall"], question, real)
    a = run.answer
    assert a is not None and a.status == "error" and a.error is not None
    assert a.error.kind == "timeout" and "deadline" in a.error.message + a.error.hint
    assert "no filter or endpoint" not in " ".join(a.error.causes + [a.error.hint])
    assert DEADLINE - 0.5 < run.wall < DEADLINE + 1.0  # one deadline, not a step timeout plus a fallback's


async def test_a_shorter_deadline_is_honoured(real: RealNetBox) -> None:
    run = await run_question(BY_NAME["stall"], "VLANs with their devices and interfaces", real, deadline=1.5)
    assert run.answer is not None and run.answer.status == "error" and run.wall < 2.5
