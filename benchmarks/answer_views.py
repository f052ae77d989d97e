"""What a member reads for each question of a set: the bot's real chat reply to
`!frage <question>` (router, capabilities, a fresh SQLite database), one JSON object per line
with the question's fields, the answered entry and topic, and the reply's plain text. This is
what the judges of docs/answer-quality.md read.

    python -m benchmarks.answer_views tests/data/questions_heldout6.toml --out views.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
from pathlib import Path

from benchmarks.question_sets import load_question_set
from commands import build_capabilities
from commands.topics import Topics
from tests.fakes import ALICE, make_harness

FEEDBACK_LINE = re.compile(r"\n?(War das hilfreich\?|Was this helpful\?).*$", re.S)


async def views(questions: list[dict[str, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        harness = await make_harness(Path(tmp), capabilities=build_capabilities)
        topics = next(c for c in harness.router.capabilities if isinstance(c, Topics))
        try:
            for q in questions:
                answer = await topics.engine.ask(q["text"])
                before = len(await harness.rows())
                await harness.send(f"!frage {q['text']}", sender=ALICE)
                reply = (await harness.replies())[before]
                rows.append(
                    {
                        **q,
                        "entry": answer.entry.id if answer.entry else "",
                        "got_topic": answer.topic.id if answer.topic else "",
                        "score": round(answer.score, 3),
                        "view": FEEDBACK_LINE.sub("", reply.get("body", "")).strip(),
                    }
                )
        finally:
            harness.services.jobs.scheduler.shutdown(wait=False)
            await harness.db.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question_set", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = asyncio.run(views(load_question_set(args.question_set)))
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} questions -> {args.out}")


if __name__ == "__main__":
    main()
