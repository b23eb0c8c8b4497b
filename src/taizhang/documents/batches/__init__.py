"""Many documents at once: a unit tree's summaries on all cores from the command line (``cores``),
and the batches the pages ask for (``views``); the background task that makes them is
``documents.tasks``, where the path stored with each queued task names it."""
