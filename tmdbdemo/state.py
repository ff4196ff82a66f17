"""The state of one fake TMDB: switches, catalogue and stats, made by `create_app`."""

from __future__ import annotations

from tmdbdemo.catalogue import Catalogue
from tmdbdemo.faults import Switchboard
from tmdbdemo.films import Film
from tmdbdemo.settings import FakeSettings
from tmdbdemo.stats import Stats
from tmdbdemo.synthetic import number_for_id, synthetic_film


class FakeState:
    """Everything a running fake remembers; one per app, none at module level."""

    def __init__(self, settings: FakeSettings, catalogue: Catalogue) -> None:
        self.switchboard = Switchboard(settings)
        self.catalogue = catalogue
        self.stats = Stats()

    @property
    def settings(self) -> FakeSettings:
        """The switches in force now."""
        return self.switchboard.settings

    def film(self, film_id: int) -> Film | None:
        """The bundled or synthetic film with this id, or None."""
        film = self.catalogue.by_id.get(film_id)
        if film is not None:
            return film
        n = number_for_id(film_id, self.settings.synthetic_films)
        return None if n is None else synthetic_film(n)
