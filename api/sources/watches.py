"""Films and watches of the sources that are not Letterboxd, written into the upload's Export.

Watches become diary entries in watched-date order, so analytics read every source alike; a
film's watches after its first are rewatches.
"""

from __future__ import annotations

from api.letterboxd import copytext
from api.letterboxd.export import Export, Film, FilmKey


def film_for(export: Export, key: FilmKey, name: str, year: int | None) -> Film:
    """The upload's film for `key`, added (numbered in order of first appearance) if new."""
    film = export.films.get(key)
    if film is None:
        film = export.films[key] = Film(len(export.films) + 1, name, year)
    return film


class WatchLog:
    """Watches gathered while reading, written as diary entries once every file is read."""

    def __init__(self) -> None:
        # (sort key, arrival, film_no, day, rating): the sort key is the day or a finer time.
        self._watches: list[tuple[str, int, int, str, str]] = []

    def __len__(self) -> int:
        return len(self._watches)

    def add(self, film_no: int, day: str, rating: str = copytext.NULL, when: str | None = None) -> None:
        """One watch of film `film_no` on `day` (ISO date); `when` orders watches within a day."""
        self._watches.append((when or day, len(self._watches), film_no, day, rating))

    def write(self, export: Export) -> None:
        """Append the watches to the export's diary, oldest first, marking rewatches."""
        self._watches.sort()
        session = str(export.session_id)
        seen: set[int] = set()
        diary = export.diary
        for _, _, film_no, day, rating in self._watches:
            rewatch = "t" if film_no in seen else "f"
            seen.add(film_no)
            # logged_on, tags and the entry URI are Letterboxd's; other sources have none.
            diary.add(
                f"{session}\t{diary.rows + 1}\t{film_no}\t{copytext.NULL}\t{day}\t{rating}\t"
                f"{rewatch}\t{{}}\t{copytext.NULL}\n"
            )
        self._watches.clear()
