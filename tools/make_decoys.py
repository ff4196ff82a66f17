"""Write the decoy catalogue (`tmdbdemo/decoys.json`) and the labelled matching set
(`bench/matching_cases.csv`) from one seeded generator: `python -m tools.make_decoys`.

Every title is invented. Each trap class (see CLASSES) places the film a row means beside the
namesakes that fooled earlier matchers, or leaves the film out so that only namesakes remain; the
row's label is the film a careful person picks, or none. A final check refuses any accidental
namesake the class did not intend, so each label is exactly what the class says.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.titles import title_key

ROOT = Path(__file__).resolve().parent.parent
FIRST_ID = 9_500_001  # between the bundled real films (< 9,500,000) and the synthetic range
CLASSES = {
    "plain": "a film with a title of its own (not a trap)",
    "longer_title_same_year": "beside the film, a more popular film of the same year whose title extends it",
    "festival_shift_longer_decoy": "the film's primary date is a year after the row's (a festival premiere "
    "that year) while a more popular film of the row's year has a longer title",
    "festival_shift": "the row's year is a festival premiere one or two years before the primary date",
    "shorter_title_same_year": "the row's title is longer than a more popular same-year film's",
    "absent_longer_title": "absent: only a same-year film whose title extends the row's",
    "absent_shorter_title": "absent: only a same-year film whose title the row's extends",
    "numbered_sibling": "a numbered sequel among its siblings (II beside III, roman beside arabic)",
    "absent_sibling": "absent: the row's number is not on TMDB, its siblings are",
    "volume_part": "Vol. against Volume, Part One against Part 1, with the other volume beside it",
    "plural": "a singular and a plural title, both on TMDB",
    "absent_plural": "absent: only the singular (or only the plural) is on TMDB",
    "same_title_short": "a same-title, same-year short beside the feature",
    "alternative_title": "known by an alternative title TMDB lists, some beside a longer-titled decoy",
    "original_title": "the row gives the original title",
    "re_release": "a classic re-released in the year of a new film of the same title",
    "absent_re_release": "absent: only a classic re-released in the row's year",
    "remake": "two films of one title, years apart",
    "near_year": "the primary year is one off the row's, with no release in it",
    "absent_far_year": "absent: the title exists three or more years away",
    "no_year_unique": "a row without a year whose title only one film has",
    "no_year_ambiguous": "a row without a year whose title several films have (the most popular is chosen)",
    "crowded_title": "more than 20 more popular same-year films extend the title (the film is on page 2 "
    "when results are ordered by popularity)",
    "letters_and_accents": "ø, ł, æ, accents in TMDB's title, plain letters in the row",
    "article_and_ampersand": "a leading article or & / and differs",
    "absent_similar_spelling": "absent: only a film spelled nearly alike",
    "absent_plain": "absent: nothing of the title on TMDB",
}
TRAPS_THAT_ARE_ABSENT = {name for name in CLASSES if name.startswith("absent")}

NOUNS = [
    "Quarry",
    "Harbour",
    "Lantern",
    "Orchard",
    "Meridian",
    "Thicket",
    "Causeway",
    "Ember",
    "Foundry",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Marrow",
    "Nettle",
    "Obelisk",
    "Parapet",
    "Quill",
    "Rampart",
    "Saltmarsh",
    "Tamarind",
    "Vesper",
    "Wicket",
    "Yarrow",
    "Zephyr",
    "Bramble",
    "Cinder",
    "Dovetail",
    "Estuary",
    "Flint",
    "Gorse",
    "Inlet",
    "Jetty",
    "Keel",
    "Lichen",
    "Mooring",
    "Nocturne",
    "Outcrop",
    "Pylon",
    "Reliquary",
    "Sluice",
    "Tundra",
    "Undertow",
    "Vellum",
    "Wharf",
    "Brine",
    "Copse",
    "Fjord",
    "Garnet",
    "Heron",
    "Isthmus",
    "Kiln",
    "Loam",
    "Millpond",
    "Nightjar",
    "Oxbow",
    "Pennant",
    "Quarrel",
    "Russet",
    "Spindle",
    "Thistle",
    "Upland",
    "Viaduct",
    "Weir",
    "Alder",
    "Basalt",
    "Carillon",
    "Dunlin",
    "Eyrie",
    "Fallow",
    "Gable",
    "Hawthorn",
    "Ironwood",
    "Jackdaw",
    "Kittiwake",
    "Lodestar",
    "Mistral",
    "Nimbus",
]
ADJECTIVES = [
    "Silent",
    "Hollow",
    "Crimson",
    "Northern",
    "Distant",
    "Broken",
    "Quiet",
    "Bitter",
    "Golden",
    "Pale",
    "Burning",
    "Frozen",
    "Wandering",
    "Hidden",
    "Restless",
    "Sunken",
    "Amber",
    "Iron",
    "Paper",
    "Glass",
    "Velvet",
    "Salt",
    "Ashen",
    "Copper",
    "Winter",
    "Summer",
    "Midnight",
    "Lonely",
    "Wild",
    "Crooked",
    "Faded",
    "Tender",
    "Savage",
    "Narrow",
    "Gentle",
    "Feral",
    "Drowned",
    "Borrowed",
    "Secret",
]
PLACES = [
    "Kaunas",
    "Varna",
    "Oporto",
    "Ghent",
    "Zadar",
    "Tartu",
    "Bergamo",
    "Aarhus",
    "Brno",
    "Riga",
    "Lublin",
    "Tampere",
    "Split",
    "Porto",
    "Graz",
]
EXTRAS = [
    "Road Blues",
    "of the North",
    "Rising",
    "Returns",
    "at Dawn",
    "and the Sea",
    "Diaries",
    "Revisited",
    "in Winter",
    "Confidential",
    "Underground",
    "Nights",
    "Forever",
    "Reckoning",
    "Unbound",
    "Keeper",
    "Legacy",
    "Chronicles",
    "of Fire",
    "Reborn",
]
FRENCH = [
    ("Phare", "Lighthouse"),
    ("Maison", "House"),
    ("Rivière", "River"),
    ("Forêt", "Forest"),
    ("Nuit", "Night"),
    ("Vent", "Wind"),
    ("Pont", "Bridge"),
    ("Jardin", "Garden"),
    ("Port", "Harbour"),
    ("Colline", "Hill"),
]
FRENCH_ADJ = [
    ("Noir", "Black"),
    ("Blanc", "White"),
    ("Perdu", "Lost"),
    ("Silencieux", "Silent"),
    ("Froid", "Cold"),
]
FEMININE_NOUNS = {"Maison", "Rivière", "Forêt", "Nuit", "Colline"}
FEMININE_ADJ = {
    "Noir": "Noire",
    "Blanc": "Blanche",
    "Perdu": "Perdue",
    "Silencieux": "Silencieuse",
    "Froid": "Froide",
}
LETTERS = [
    ("Smørrebrød", "Smorrebrod"),
    ("Łódź", "Lodz"),
    ("Ærø", "Aero"),
    ("Café", "Cafe"),
    ("Øresund", "Oresund"),
    ("Wrocław", "Wroclaw"),
    ("Mæhle", "Maehle"),
    ("Señora", "Senora"),
    ("Façade", "Facade"),
    ("Tromsø", "Tromso"),
    ("Crème", "Creme"),
    ("Kraków", "Krakow"),
    ("Søndag", "Sondag"),
    ("Naïve", "Naive"),
    ("Bjørn", "Bjorn"),
]
ROMAN = ["", "", "II", "III", "IV", "V"]
GENRES = ["Drama", "Thriller", "Comedy", "Romance", "Crime", "Mystery", "Horror", "Documentary", "Western"]
COUNTRIES = [
    (
        {"iso_3166_1": "GB", "name": "United Kingdom"},
        {"iso_639_1": "en", "english_name": "English", "name": "English"},
    ),
    (
        {"iso_3166_1": "FR", "name": "France"},
        {"iso_639_1": "fr", "english_name": "French", "name": "Français"},
    ),
    ({"iso_3166_1": "DK", "name": "Denmark"}, {"iso_639_1": "da", "english_name": "Danish", "name": "Dansk"}),
    ({"iso_3166_1": "PL", "name": "Poland"}, {"iso_639_1": "pl", "english_name": "Polish", "name": "Polski"}),
]


@dataclass
class Row:
    """One export row of the labelled set and the film it means (None: not on TMDB)."""

    name: str
    year: int | None
    expected: int | None
    trap: str
    alternatives: int = 0


@dataclass
class Generator:
    """Invents films and rows, never the same title key twice unless a class wants it."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311 - test data
    films: list[dict[str, Any]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)

    def fresh(self, make: Any) -> str:
        """A title from `make()` whose key (and every extension of it) is unused."""
        for _ in range(10_000):
            title = str(make())
            key = title_key(title)
            if key not in self.used:
                self.used.add(key)
                return title
        raise RuntimeError("the word pools are exhausted")

    def base_title(self) -> str:
        r = self.rng
        patterns = (
            lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}",
            lambda: f"The {r.choice(NOUNS)} of {r.choice(PLACES)}",
            lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} in {r.choice(PLACES)}",
            lambda: f"{r.choice(NOUNS)} and {r.choice(NOUNS)}",
            lambda: f"{r.choice(NOUNS)}{r.choice(['', 'field', 'wood', 'stone', 'mere'])}",
        )
        return self.fresh(lambda: r.choice(patterns)())  # noqa: PLW0108 - a new pattern per try

    def year(self, low: int = 1955, high: int = 2024) -> int:
        return self.rng.randint(low, high)

    def person(self) -> str:
        first = [
            "Ada",
            "Bram",
            "Cleo",
            "Dario",
            "Elin",
            "Farid",
            "Greta",
            "Hugo",
            "Ines",
            "Jonas",
            "Kaia",
            "Lior",
            "Maren",
            "Nils",
            "Oona",
            "Pavel",
        ]
        last = [
            "Varga",
            "Lindqvist",
            "Okafor",
            "Marchetti",
            "Novak",
            "Brennan",
            "Sato",
            "Haddad",
            "Kowalski",
            "Ferreira",
            "Moreau",
        ]
        while True:
            name = (
                f"{self.rng.choice(first)} {self.rng.choice(last)} {self.rng.choice('ABCDEFGHJKLMNPRSTVW')}."
            )
            if name not in self.people or self.rng.random() < 0.3:
                self.people.add(name)
                return name

    def film(
        self,
        title: str,
        year: int,
        *,
        popularity: float | None = None,
        other_years: tuple[int, ...] = (),
        original: str | None = None,
        alternatives: tuple[str, ...] = (),
        runtime: int | None = None,
        country: int = 0,
    ) -> int:
        film_id = FIRST_ID + len(self.films)
        where, language = COUNTRIES[country]
        self.films.append(
            {
                "id": film_id,
                "title": title,
                "original_title": original or title,
                "original_language": language["iso_639_1"],
                "release_date": f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
                "other_release_years": list(other_years),
                "runtime": runtime or self.rng.randint(78, 148),
                "genres": self.rng.sample(GENRES, 2),
                "directors": [self.person()],
                "cast": [self.person() for _ in range(4)],
                "production_countries": [where],
                "spoken_languages": [language],
                "popularity": round(popularity if popularity is not None else self.rng.uniform(2, 40), 1),
                "vote_average": round(self.rng.uniform(5, 8.5), 1),
                "vote_count": self.rng.randint(20, 4000),
                "alternative_titles": list(alternatives),
                "imdb_id": None,
                "overview": "An invented film: a namesake that the reelstats matching benchmark is built around.",
            }
        )
        return film_id

    def row(
        self, name: str, year: int | None, expected: int | None, trap: str, alternatives: int = 0
    ) -> None:
        self.rows.append(Row(name, year, expected, trap, alternatives))

    def extended(self, title: str) -> str:
        """A longer title starting with `title`, unused."""
        return self.fresh(lambda: f"{title} {self.rng.choice(EXTRAS)}")


def generate() -> Generator:
    g = Generator()
    r = g.rng
    for _ in range(300):
        title, year = g.base_title(), g.year()
        g.row(title, year, g.film(title, year), "plain")
    for _ in range(20):
        title, year = g.base_title(), g.year()
        film = g.film(title, year, popularity=r.uniform(2, 10))
        g.film(g.extended(title), year, popularity=r.uniform(20, 60))
        g.row(title, year, film, "longer_title_same_year")
    for _ in range(20):
        title, year = g.base_title(), g.year(1960, 2023)
        film = g.film(title, year + 1, other_years=(year,), popularity=r.uniform(2, 10))
        g.film(g.extended(title), year, popularity=r.uniform(20, 60))
        g.row(title, year, film, "festival_shift_longer_decoy")
    for _ in range(15):
        title, year = g.base_title(), g.year(1960, 2022)
        film = g.film(title, year + r.choice((1, 2)), other_years=(year,))
        g.row(title, year, film, "festival_shift")
    for _ in range(15):
        short, year = g.base_title(), g.year()
        title = g.extended(short)
        film = g.film(title, year, popularity=r.uniform(2, 10))
        g.film(short, year, popularity=r.uniform(20, 60))
        g.row(title, year, film, "shorter_title_same_year")
    for _ in range(20):
        title, year = g.base_title(), g.year()
        g.film(g.extended(title), year)
        g.row(title, year, None, "absent_longer_title")
    for _ in range(15):
        short, year = g.base_title(), g.year()
        title = g.extended(short)
        g.film(short, year)
        g.row(title, year, None, "absent_shorter_title")
    _numbered(g)
    _pairs(g)
    for _ in range(15):
        title, year = g.base_title(), g.year(1960, 2024)
        feature = g.film(title, year, popularity=r.uniform(12, 40), runtime=r.randint(85, 130))
        g.film(title, year, popularity=r.uniform(0.5, 2), runtime=r.randint(8, 25))
        g.row(title, year, feature, "same_title_short", alternatives=1)
    _titles(g)
    _years(g)
    for _ in range(8):
        title, year = g.fresh(lambda: r.choice(NOUNS)), g.year(1990, 2020)
        film = g.film(title, year, popularity=r.uniform(1, 3))
        for _ in range(25):
            crowd = g.fresh(lambda title=title: f"{r.choice(ADJECTIVES)} {title} {r.choice(EXTRAS)}")
            g.film(crowd, year, popularity=r.uniform(10, 60))
        g.row(title, year, film, "crowded_title")
    return g


def _numbered(g: Generator) -> None:
    for index in range(20):
        stem, year = g.base_title(), g.year(1960, 2010)
        same_year = index % 5 == 0  # two sequels in one year, a trap of its own
        years = [year, year + 2, year + 2 if same_year else year + 4]
        ids = [g.film(stem, years[0])] + [g.film(f"{stem} {ROMAN[n]}", years[n - 1]) for n in (2, 3)]
        for n in (2, 3):
            g.used.add(title_key(f"{stem} {ROMAN[n]}"))
        g.row(f"{stem} {ROMAN[2]}", years[1], ids[1], "numbered_sibling")
        g.row(f"{stem} {'3' if index % 2 else ROMAN[3]}", years[2], ids[2], "numbered_sibling")
        g.row(f"{stem} IV", year + 7, None, "absent_sibling")
    for _ in range(10):
        stem, year = g.base_title(), g.year(1990, 2020)
        vol2 = g.film(f"{stem}: Vol. 2", year + 1)
        g.used.update({title_key(f"{stem}: Vol. 2"), title_key(f"{stem}: Vol. 1")})
        g.row(f"{stem}: Volume 2", year + 1, vol2, "volume_part")
        g.row(f"{stem}: Vol. 1", year, None, "absent_sibling")
    for _ in range(10):
        stem, year = g.base_title(), g.year(1990, 2023)
        one = g.film(f"{stem} Part One", year)
        g.film(f"{stem} Part Two", year + 2)
        g.used.update({title_key(f"{stem} Part One"), title_key(f"{stem} Part Two")})
        g.row(f"{stem} Part 1", year, one, "volume_part")


def _pairs(g: Generator) -> None:
    r = g.rng
    for index in range(25):
        noun = g.fresh(lambda: f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)}")
        plural = noun + "s"
        g.used.add(title_key(plural))
        year = g.year()
        if index < 12:
            one, many = g.film(noun, year), g.film(plural, year if index % 2 else year + 3)
            g.row(noun, year, one, "plural")
            g.row(plural, year if index % 2 else year + 3, many, "plural")
        elif index % 2:
            g.film(plural, year)
            g.row(noun, year, None, "absent_plural")
        else:
            g.film(noun, year)
            g.row(plural, year, None, "absent_plural")


def _titles(g: Generator) -> None:
    r = g.rng
    combos = [(f, a) for f in FRENCH for a in FRENCH_ADJ]
    r.shuffle(combos)
    for index, ((fr_noun, en_noun), (fr_adj, en_adj)) in enumerate(combos[:35]):
        article = "La" if fr_noun in FEMININE_NOUNS else "Le"
        adj = FEMININE_ADJ[fr_adj] if article == "La" else fr_adj
        french = g.fresh(lambda article=article, fr_noun=fr_noun, adj=adj: f"{article} {fr_noun} {adj}")
        english = g.fresh(lambda en_adj=en_adj, en_noun=en_noun: f"The {en_adj} {en_noun}")
        year = g.year(1950, 2022)
        if index < 25:
            film = g.film(french, year, alternatives=(english,), country=1)
            if index % 2:
                g.film(g.extended(english), year, popularity=r.uniform(30, 70))
            g.row(english, year, film, "alternative_title")
        else:
            film = g.film(english, year, original=french, country=1)
            g.row(french, year, film, "original_title")
    for letters, plain in LETTERS:
        title = g.fresh(lambda letters=letters: f"{letters} {r.choice(NOUNS)}")
        year = g.year()
        g.row(title.replace(letters, plain), year, g.film(title, year, country=2), "letters_and_accents")
    for index in range(15):
        noun = g.fresh(lambda: f"{r.choice(NOUNS)} & {r.choice(NOUNS)}")
        year = g.year()
        if index % 3 == 0:
            g.row(noun.replace(" & ", " and "), year, g.film(noun, year), "article_and_ampersand")
        elif index % 3 == 1:
            g.row(noun, year, g.film(noun.replace(" & ", " and "), year), "article_and_ampersand")
        else:
            title = g.fresh(lambda: f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}field")
            g.used.add(title_key("The " + title))
            g.row(title, year, g.film("The " + title, year), "article_and_ampersand")
    for _ in range(15):
        title = g.base_title()
        near = g.fresh(lambda title=title: title + r.choice("enaor"))
        g.film(near, (year := g.year()))
        g.row(title, year, None, "absent_similar_spelling")
    for _ in range(15):
        g.row(g.base_title(), g.year(), None, "absent_plain")


def _years(g: Generator) -> None:
    r = g.rng
    for _ in range(10):
        title, old, new = g.base_title(), g.year(1950, 1975), g.year(2000, 2024)
        classic = g.film(title, old, other_years=(new,), popularity=r.uniform(20, 50))
        modern = g.film(title, new, popularity=r.uniform(2, 15))
        g.row(title, new, modern, "re_release")
        g.row(title, old, classic, "re_release")
    for _ in range(10):
        title, old, new = g.base_title(), g.year(1950, 1975), g.year(2000, 2024)
        g.film(title, old, other_years=(new,), popularity=r.uniform(20, 50))
        g.row(title, new, None, "absent_re_release")
    for _ in range(10):
        title, first = g.base_title(), g.year(1950, 1990)
        second = first + r.randint(5, 30)
        a, b = g.film(title, first), g.film(title, second)
        g.row(title, first, a, "remake")
        g.row(title, second, b, "remake")
    for index in range(15):
        title, year = g.base_title(), g.year(1960, 2022)
        g.row(title, year, g.film(title, year + (1 if index % 2 else -1)), "near_year")
    for _ in range(10):
        title, year = g.base_title(), g.year(1960, 2020)
        g.film(title, year + r.choice((3, 4, -3, -5)))
        g.row(title, year, None, "absent_far_year")
    for _ in range(15):
        title = g.base_title()
        g.row(title, None, g.film(title, g.year()), "no_year_unique")
    for _ in range(10):
        title = g.base_title()
        popular = g.film(title, g.year(1960, 1990), popularity=r.uniform(25, 60))
        g.film(title, g.year(1995, 2024), popularity=r.uniform(1, 10))
        g.row(title, None, popular, "no_year_ambiguous", alternatives=1)


def check(g: Generator, real_titles: set[str]) -> None:
    """Refuse accidental namesakes: a row's title key may equal only the films its class placed."""
    titles: dict[str, list[int]] = {}
    for film in g.films:
        for title in {film["title"], film["original_title"], *film["alternative_titles"]}:
            titles.setdefault(title_key(title), []).append(film["id"])
    for row in g.rows:
        key = title_key(row.name)
        if key in real_titles:
            raise ValueError(f"{row.name!r} is also a bundled real film")
        same = titles.get(key, [])
        if row.trap in {"absent_re_release", "absent_far_year"}:
            wanted = len(same) == 1 and row.expected is None
        elif row.expected is None:
            wanted = not same
        else:
            namesakes = 2 if row.trap in {"re_release", "remake"} else 1 + row.alternatives
            wanted = row.expected in same and len(same) == namesakes
        if not wanted:
            raise ValueError(f"{row} has namesakes its class did not place: {same}")


def rows_csv(rows: list[Row]) -> Iterator[list[str]]:
    yield ["name", "year", "expected_tmdb_id", "trap", "alternatives"]
    for row in rows:
        year = "" if row.year is None else str(row.year)
        expected = "" if row.expected is None else str(row.expected)
        yield [row.name, year, expected, row.trap, str(row.alternatives)]


def main() -> int:
    g = generate()
    real = json.loads((ROOT / "tmdbdemo" / "catalogue.json").read_text(encoding="utf-8"))["films"]
    real_titles = {
        title_key(t) for f in real for t in (f["title"], f["original_title"], *f["alternative_titles"])
    }
    check(g, real_titles)
    about = {
        "about": "Invented films (ids from 9,500,001) that crowd the demo catalogue with namesakes, one "
        "group per trap class of the matching benchmark (bench/matching_cases.csv). Written by "
        "`python -m tools.make_decoys`; do not edit by hand.",
        "classes": CLASSES,
    }
    lines = [json.dumps(film, ensure_ascii=False) for film in g.films]
    text = (
        json.dumps(about, ensure_ascii=False, indent=1)[:-2]
        + ',\n "films": [\n'
        + ",\n".join(lines)
        + "\n ]\n}\n"
    )
    (ROOT / "tmdbdemo" / "decoys.json").write_text(text, encoding="utf-8")
    with (ROOT / "bench" / "matching_cases.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows_csv(g.rows))
    traps = sum(1 for row in g.rows if row.trap != "plain")
    print(f"{len(g.films)} decoy films, {len(g.rows)} rows ({traps} traps, {traps / len(g.rows):.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
