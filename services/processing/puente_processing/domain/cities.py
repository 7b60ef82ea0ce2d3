"""US cities where families go after release, with coordinates, so a destination can be put on
the map and matched to its nearest court.

A destination is a city name (where a family already in the US lives) or a sponsor's address
as free text ("1200 Main St, Houston, TX"). The city is the known name that ends last in the
text (addresses end with city, state and ZIP, so "Washington Ave, Houston" is Houston); of
names starting at the same place the longest wins ("Kansas City", not "Kansas"). One name stands
for one city: Arlington is Virginia's, Portland Oregon's, Concord California's. A destination
with no known city is `None`: the caller decides (the court nearest the release site).
Coordinates are approximate city centres (degrees).
"""

from __future__ import annotations

import re
import unicodedata

from puente_schemas.places import Place

_CITIES = (
    ("Albuquerque", 35.08, -106.65),
    ("Arlington", 38.88, -77.10),
    ("Atlanta", 33.75, -84.39),
    ("Austin", 30.27, -97.74),
    ("Baltimore", 39.29, -76.61),
    ("Birmingham", 33.52, -86.80),
    ("Bloomington", 44.84, -93.30),
    ("Boise", 43.62, -116.20),
    ("Boston", 42.36, -71.06),
    ("Bronx", 40.84, -73.86),
    ("Brooklyn", 40.68, -73.94),
    ("Brownsville", 25.90, -97.50),
    ("Buffalo", 42.89, -78.88),
    ("Calexico", 32.68, -115.50),
    ("Charlotte", 35.23, -80.84),
    ("Chicago", 41.88, -87.63),
    ("Cleveland", 41.50, -81.69),
    ("Columbus", 39.96, -83.00),
    ("Concord", 37.98, -122.03),
    ("Dallas", 32.78, -96.80),
    ("Del Rio", 29.36, -100.90),
    ("Denver", 39.74, -104.99),
    ("Des Moines", 41.59, -93.62),
    ("Detroit", 42.33, -83.05),
    ("Eagle Pass", 28.71, -100.50),
    ("El Centro", 32.79, -115.56),
    ("El Paso", 31.76, -106.49),
    ("Fort Worth", 32.76, -97.33),
    ("Fresno", 36.74, -119.79),
    ("Harlingen", 26.19, -97.70),
    ("Hartford", 41.76, -72.67),
    ("Hidalgo", 26.10, -98.26),
    ("Honolulu", 21.31, -157.86),
    ("Houston", 29.76, -95.37),
    ("Hyattsville", 38.96, -76.95),
    ("Imperial", 32.85, -115.57),
    ("Indianapolis", 39.77, -86.16),
    ("Jacksonville", 30.33, -81.66),
    ("Kansas City", 39.10, -94.58),
    ("Laredo", 27.51, -99.51),
    ("Las Vegas", 36.17, -115.14),
    ("Los Angeles", 34.05, -118.24),
    ("Louisville", 38.25, -85.76),
    ("McAllen", 26.20, -98.23),
    ("Memphis", 35.15, -90.05),
    ("Miami", 25.77, -80.19),
    ("Milwaukee", 43.04, -87.91),
    ("Minneapolis", 44.98, -93.27),
    ("Nashville", 36.16, -86.78),
    ("New Orleans", 29.95, -90.07),
    ("New York", 40.71, -74.01),
    ("Newark", 40.74, -74.17),
    ("Nogales", 31.34, -110.94),
    ("Oakland", 37.80, -122.27),
    ("Oklahoma City", 35.47, -97.52),
    ("Omaha", 41.26, -95.94),
    ("Orlando", 28.54, -81.38),
    ("Philadelphia", 39.95, -75.17),
    ("Phoenix", 33.45, -112.07),
    ("Pittsburgh", 40.44, -80.00),
    ("Portland", 45.52, -122.68),
    ("Providence", 41.82, -71.41),
    ("Queens", 40.73, -73.79),
    ("Raleigh", 35.78, -78.64),
    ("Richmond", 37.54, -77.44),
    ("Riverside", 33.95, -117.40),
    ("Sacramento", 38.58, -121.49),
    ("Salt Lake City", 40.76, -111.89),
    ("San Antonio", 29.42, -98.49),
    ("San Benito", 26.13, -97.63),
    ("San Diego", 32.72, -117.16),
    ("San Francisco", 37.77, -122.42),
    ("San Jose", 37.34, -121.89),
    ("San Juan", 18.47, -66.11),
    ("San Ysidro", 32.55, -117.04),
    ("Seattle", 47.61, -122.33),
    ("St. Louis", 38.63, -90.20),
    ("Tampa", 27.95, -82.46),
    ("Tucson", 32.22, -110.97),
    ("Tulsa", 36.15, -95.99),
    ("Washington", 38.91, -77.04),
    ("Wichita", 37.69, -97.34),
)


def _words(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: 'San José, CA' -> 'san jose ca'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


US_CITIES: dict[str, Place] = {
    _words(name): Place(name, "US", latitude, longitude) for name, latitude, longitude in _CITIES
}
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in sorted(US_CITIES, key=len, reverse=True)) + r")\b"
)


def find_city(destination: str) -> Place | None:
    """The US city `destination` names (a city or an address), or None when none is known."""
    text = _words(destination)
    if text in US_CITIES:
        return US_CITIES[text]
    matches = [(match.end(), match.group(1)) for match in _PATTERN.finditer(text)]
    return US_CITIES[max(matches)[1]] if matches else None
