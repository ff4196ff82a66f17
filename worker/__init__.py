"""The reelstats enrichment worker: LISTEN for work, claim it with SKIP LOCKED, enrich from TMDB."""
