"""Runs `kantoor-batch import` with a pause after the relations are written, so tests can kill
it halfway or start a second import while it holds the store. Usage:
python -m tests.store.slow_import SECONDS kantoor-batch-arguments..."""

from __future__ import annotations

import sys
import time
from typing import Any

from kantoor_batch.cli import main
from kantoor_batch.store import write

pause = float(sys.argv[1])
original = write.PlanWriter.upsert


def upsert_then_pause(self: write.PlanWriter, entity: str, *args: Any, **kwargs: Any) -> Any:
    diff = original(self, entity, *args, **kwargs)
    if entity == "relation":
        print("halfway", flush=True)
        time.sleep(pause)
    return diff


write.PlanWriter.upsert = upsert_then_pause  # type: ignore[method-assign]
main(sys.argv[2:])
