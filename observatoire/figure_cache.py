"""Figures built once per distinct input, then shared by every rerun and every session.

Streamlit reruns the whole page script on every interaction. Without this cache each
rerun rebuilt every plotly figure (validation of thousands of GeoJSON coordinates for a
map: about 60 ms), Streamlit then deep-copied it (`Figure.to_dict`, 20-30 ms) and encoded it
to JSON again. `cached(builder, *args, **kwargs)` returns the figure built the first time
the same builder met the same arguments (DataFrames compared by content), frozen:

a plotly figure becomes a `FrozenFigure`, whose `to_dict()` is computed once, and whose JSON encoding
(asked by st.plotly_chart at every rerun) is made once too.

A cached figure is shared: never modify it (the slide deck builds its own figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from observatoire.memo import LruCache, fingerprint

MAX_ENTRIES = 64


class FrozenDict(dict):
    """A frozen figure's dictionary form, which keeps its JSON encoding once made (see _to_json_once)."""

    encoded: dict[tuple, str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.encoded = {}


class FrozenFigure(go.Figure):
    """A plotly figure whose dictionary form is computed once (Streamlit asks for it at every rerun)."""

    _frozen: FrozenDict | None = None

    def to_dict(self) -> dict:
        if self._frozen is None:
            self._frozen = FrozenDict(super().to_dict())
        return self._frozen


_to_json = pio.to_json


def _to_json_once(fig, *args, **kwargs):
    """plotly.io.to_json, encoded once for a frozen figure's dictionary.

    st.plotly_chart encodes every chart to JSON at every rerun (`plotly.io.to_json(fig.to_dict())`): for a
    map, hundreds of kilobytes, the largest single cost of a page run in the server's profile. A frozen
    figure is shared and never modified, so its encoding is kept; any other figure goes to plotly as is.
    """
    if not isinstance(fig, FrozenDict):
        return _to_json(fig, *args, **kwargs)
    key = (args, tuple(sorted(kwargs.items())))
    if key not in fig.encoded:
        fig.encoded[key] = _to_json(fig, *args, **kwargs)
    return fig.encoded[key]


pio.to_json = _to_json_once  # streamlit.elements.plotly_chart calls plotly.io.to_json


_cache = LruCache(MAX_ENTRIES)


def freeze(figure: Any) -> Any:
    if isinstance(figure, go.Figure):
        frozen = FrozenFigure(figure)
        frozen.to_dict()
        return frozen
    raise TypeError(f"Type de figure non pris en charge : {type(figure).__name__}")


def cached(builder: Callable, /, *args, **kwargs) -> Any:
    """builder(*args, **kwargs), built once per distinct arguments and frozen (see the module docstring)."""
    return _cache.get(fingerprint(builder, args, kwargs), lambda: freeze(builder(*args, **kwargs)))


def clear() -> None:
    _cache.clear()
