"""Map labels drawn as line strokes, for MapLibre maps (plotly's "map" subplots).

MapLibre draws text only with glyphs fetched from the web: on a map with no basemap, the
inset labels are written with lines instead. The SVG maps (plotly geo, the default) use
plain text and do not need this.
"""

from __future__ import annotations

import numpy as np

from observatoire import geo


def _arc(cx, cy, rx, ry, a0, a1, n=10):
    angles = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles)))


_O = _arc(2.2, 3, 2.2, 3, 0, 360, 25)
_P_BOWL = [(0, 0), (0, 6), (2.2, 6), *_arc(2.2, 4.4, 1.6, 1.6, 90, -90, 9), (0, 2.8)]
# Capital letters on a 6-unit cap height: (advance width, strokes).
_GLYPHS: dict[str, tuple[float, list[list[tuple[float, float]]]]] = {
    " ": (2.2, []),
    "-": (2.4, [[(0.2, 2.8), (2.2, 2.8)]]),
    "A": (4.0, [[(0, 0), (2, 6), (4, 0)], [(0.7, 2.1), (3.3, 2.1)]]),
    "D": (4.0, [[(0, 6), (1.6, 6), *_arc(1.6, 3, 2.4, 3, 90, -90, 13), (0, 0), (0, 6)]]),
    "E": (3.6, [[(3.6, 6), (0, 6), (0, 0), (3.6, 0)], [(0, 3.1), (3.0, 3.1)]]),
    "É": (3.6, [[(3.6, 6), (0, 6), (0, 0), (3.6, 0)], [(0, 3.1), (3.0, 3.1)], [(1.4, 6.9), (2.5, 8.0)]]),
    "G": (4.2, [[*_arc(2.1, 3, 2.1, 3, 40, 360, 22), (2.4, 3)]]),
    "I": (0.0, [[(0, 0), (0, 6)]]),
    "L": (3.4, [[(0, 6), (0, 0), (3.4, 0)]]),
    "M": (4.8, [[(0, 0), (0, 6), (2.4, 1.6), (4.8, 6), (4.8, 0)]]),
    "N": (4.0, [[(0, 0), (0, 6), (4, 0), (4, 6)]]),
    "O": (4.4, [_O]),
    "P": (3.8, [_P_BOWL]),
    "Q": (4.4, [_O, [(2.7, 1.4), (4.6, -0.4)]]),
    "R": (3.9, [_P_BOWL, [(2.0, 2.8), (3.9, 0)]]),
    "T": (4.0, [[(0, 6), (4, 6)], [(2, 6), (2, 0)]]),
    "U": (4.0, [[(0, 6), (0, 2), *_arc(2, 2, 2, 2, 180, 360, 13), (4, 6)]]),
    "Y": (4.2, [[(0, 6), (2.1, 3), (4.2, 6)], [(2.1, 3), (2.1, 0)]]),
}
_LETTER_SPACING = 1.3


def stroke_text(text: str, lon: float, lat: float, cap: float) -> tuple[list, list]:
    """Line coordinates (lons, lats with None between strokes) writing text in capitals.

    lon/lat is the lower-left corner, cap the capital height in Web Mercator degrees.
    """
    unit = cap / 6
    x, y0 = lon, float(geo.mercator_y(lat))
    lons: list = []
    lats: list = []
    for char in text.upper():
        advance, strokes = _GLYPHS.get(char, _GLYPHS[" "])
        for stroke in strokes:
            pts = np.array(stroke, dtype=float)
            lons.extend(np.round(x + pts[:, 0] * unit, 4).tolist() + [None])
            lats.extend(np.round(geo.latitude_of(y0 + pts[:, 1] * unit), 4).tolist() + [None])
        x += (advance + _LETTER_SPACING) * unit
    return lons, lats
