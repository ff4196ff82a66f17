"""Reading a Letterboxd export: which file is which, row validation, merging on (Name, Year)."""
