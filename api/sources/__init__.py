"""Reading an upload of any supported service's export: Letterboxd, IMDb, Trakt, Netflix."""
