"""A policy's history: versions, timeline placement, re-extraction and
Wayback backfill."""
