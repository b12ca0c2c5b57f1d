"""Figures built once per distinct input, then shared by every rerun and every session.

Streamlit reruns the whole page script on every interaction. Without this cache each
rerun rebuilt every plotly figure (validation of thousands of GeoJSON coordinates for a
map: about 60 ms), Streamlit then deep-copied it (`Figure.to_dict`, 20-30 ms) and encoded it
to JSON again. `cached(builder, *args, **kwargs)` returns the figure built the first time
the same builder met the same arguments (DataFrames compared by content), frozen:

a plotly figure becomes a `FrozenFigure`, whose `to_dict()` is computed once.

A cached figure is shared: never modify it (the slide deck builds its own figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from observatoire.memo import LruCache, fingerprint

MAX_ENTRIES = 64


class FrozenFigure(go.Figure):
    """A plotly figure whose dictionary form is computed once (Streamlit asks for it at every rerun)."""

    _frozen: dict | None = None

    def to_dict(self) -> dict:
        if self._frozen is None:
            self._frozen = super().to_dict()
        return self._frozen


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
