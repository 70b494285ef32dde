"""The physics the synthetic weather obeys, as plain formulas (numpy in, numpy out).

* Water vapour: Magnus' formula over water (WMO, Alduchov-Eskridge constants), its inverse
  for the dew point, relative humidity as the ratio of actual to saturation vapour pressure.
* The sun at Seoul (37.57 °N): declination (Spencer's series), the day length with the upper
  limb at the horizon and refraction (-0.833°), which is KMA's 가조시간 ``SS_DUR`` for Seoul to
  within its 0.1 h rounding, and the daily extraterrestrial radiation (FAO-56 eq. 21).
* Station pressure from sea-level pressure by the hypsometric equation at the station height.
* Wind directions on KMA's 16 points, in degrees as KMA prints them (22.5° steps rounded to
  10°: 20, 50, 70, 90, ..., 340, 360).
"""

from __future__ import annotations

import numpy as np

SEOUL_LATITUDE = 37.57  # station 108, degrees north
STATION_HEIGHT_M = 86.0  # station 108's barometer, metres above sea level
SOLAR_CONSTANT = 0.0820  # MJ m-2 min-1
SUNRISE_ALTITUDE = -0.833  # degrees: upper limb on the horizon, with refraction
GRAVITY, DRY_AIR_GAS_CONSTANT = 9.80665, 287.05

WIND_DIRECTIONS = (20, 50, 70, 90, 110, 140, 160, 180, 200, 230, 250, 270, 290, 320, 340, 360)


def saturation_vapour_pressure(celsius: np.ndarray) -> np.ndarray:
    """hPa over water (Magnus: 6.112 exp(17.62 t / (243.12 + t)))."""
    celsius = np.asarray(celsius, dtype=float)
    return 6.112 * np.exp(17.62 * celsius / (243.12 + celsius))


def dew_point(vapour_pressure: np.ndarray) -> np.ndarray:
    """°C at which ``vapour_pressure`` (hPa) saturates: Magnus inverted."""
    x = np.log(np.asarray(vapour_pressure, dtype=float) / 6.112)
    return 243.12 * x / (17.62 - x)


def relative_humidity(celsius: np.ndarray, dew_point_celsius: np.ndarray) -> np.ndarray:
    """% from the temperature and the dew point."""
    return 100 * saturation_vapour_pressure(dew_point_celsius) / saturation_vapour_pressure(celsius)


def solar_declination(day_of_year: np.ndarray) -> np.ndarray:
    """Radians (Spencer, 1971)."""
    g = 2 * np.pi * (np.asarray(day_of_year, dtype=float) - 1) / 365
    return (
        0.006918
        - 0.399912 * np.cos(g)
        + 0.070257 * np.sin(g)
        - 0.006758 * np.cos(2 * g)
        + 0.000907 * np.sin(2 * g)
        - 0.002697 * np.cos(3 * g)
        + 0.00148 * np.sin(3 * g)
    )


def day_length(day_of_year: np.ndarray, latitude: float = SEOUL_LATITUDE) -> np.ndarray:
    """Hours from sunrise to sunset (upper limb, refraction included)."""
    phi, declination = np.radians(latitude), solar_declination(day_of_year)
    cos_hour_angle = (np.sin(np.radians(SUNRISE_ALTITUDE)) - np.sin(phi) * np.sin(declination)) / (
        np.cos(phi) * np.cos(declination)
    )
    return 2 * np.degrees(np.arccos(np.clip(cos_hour_angle, -1, 1))) / 15


def extraterrestrial_radiation(
    day_of_year: np.ndarray, latitude: float = SEOUL_LATITUDE
) -> np.ndarray:
    """MJ m-2 per day on a horizontal surface at the top of the atmosphere (FAO-56 eq. 21)."""
    doy = np.asarray(day_of_year, dtype=float)
    phi, declination = np.radians(latitude), solar_declination(doy)
    inverse_distance = 1 + 0.033 * np.cos(2 * np.pi * doy / 365)
    sunset = np.arccos(np.clip(-np.tan(phi) * np.tan(declination), -1, 1))
    return (
        24
        * 60
        / np.pi
        * SOLAR_CONSTANT
        * inverse_distance
        * (
            sunset * np.sin(phi) * np.sin(declination)
            + np.cos(phi) * np.cos(declination) * np.sin(sunset)
        )
    )


def station_pressure(sea_level: np.ndarray, celsius: np.ndarray) -> np.ndarray:
    """hPa at the station height, from sea-level pressure and the air temperature."""
    kelvin = np.asarray(celsius, dtype=float) + 273.15
    return np.asarray(sea_level) * np.exp(
        -GRAVITY * STATION_HEIGHT_M / (DRY_AIR_GAS_CONSTANT * kelvin)
    )


def sixteen_points(degrees: np.ndarray) -> np.ndarray:
    """The nearest of KMA's 16 wind directions, in degrees as KMA prints them (north is 360)."""
    index = np.rint(np.mod(np.asarray(degrees, dtype=float), 360) / 22.5).astype(np.int64) % 16
    points = np.array([360, *WIND_DIRECTIONS[:-1]])  # index 0 is north
    return points[index]
