"""The stored year tables keep the header that docs/object-store.md gives them."""

import re
from pathlib import Path

from seoulcast_assets.layout import YEAR_COLUMNS

OBJECT_STORE_DOC = Path(__file__).resolve().parents[1] / "docs" / "object-store.md"


def test_year_table_columns_are_the_documented_ones():
    text = OBJECT_STORE_DOC.read_text(encoding="utf-8")
    [documented] = re.findall(r"`result/daily/year=YYYY\.csv`[^`]*?columns `([^`]*)`", text)
    assert [c.strip() for c in documented.split(",")] == list(YEAR_COLUMNS)


def test_the_layout_names_the_weather_columns_the_cleaning_defines():
    from seoulcast_assets.cleaning.elements import WEATHER_COLUMNS as DEFINED
    from seoulcast_assets.layout import WEATHER_COLUMNS
    from seoulcast_assets.ml.inputs.variables import NOT_INPUTS, WEATHER_ELEMENTS

    assert WEATHER_COLUMNS == DEFINED
    assert set(NOT_INPUTS) <= set(WEATHER_COLUMNS)
    assert set(WEATHER_ELEMENTS) - set(WEATHER_COLUMNS) == {"ps_tendency"}  # derived, data.py
