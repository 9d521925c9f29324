"""python -m kantoor_batch: the same as the kantoor-batch command."""

from kantoor_batch.cli import main

main()
