"""The reelstats HTTP API: uploads, sessions, analytics and the web page."""
