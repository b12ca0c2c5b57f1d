"""The general-assembly deck: slide specs (observatoire.slides) exported to PowerPoint and PDF.

No Streamlit import. Each slide is laid out once as boxes (observatoire.render.layout) and drawn
by two back ends: PowerPoint with native, editable charts (render.powerpoint) and a PDF with real
text and vector charts, printed by headless Chromium (render.pdf). Figures are rendered once by
kaleido (render.images): map PNGs for PowerPoint, chart and map SVGs for the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from observatoire.render import pdf, powerpoint
from observatoire.render.figures import static_map
from observatoire.render.images import browser_path, missing_image_engine, render_images, warm_up
from observatoire.render.layout import Box, Para, fit, layout, layout_deck
from observatoire.slides import Slide

__all__ = ["Box", "Para", "export", "fit", "layout", "missing_image_engine", "static_map", "to_pptx",
           "warm_up"]

Progress = Callable[[float, str], None]
STEPS = {"images": 0.6, "pptx": 0.15, "pdf": 0.25}  # shares of the progress bar


def export(slides: Sequence[Slide], formats: Sequence[str] = ("pptx", "pdf"),
           progress: Progress | None = None) -> dict[str, bytes]:
    """The deck in each format asked ("pptx", "pdf"), each figure rendered once."""
    if not slides:
        raise ValueError("Aucune diapositive à exporter")
    pages = layout_deck(slides)

    def part(start: float, share: float) -> Progress | None:
        return (lambda f, text: progress(start + share * f, text)) if progress else None

    images = render_images(pages, formats, progress=part(0.0, STEPS["images"]))
    out, done = {}, STEPS["images"]
    if "pptx" in formats:
        out["pptx"] = powerpoint.write(pages, images, part(done, STEPS["pptx"]))
        done += STEPS["pptx"]
    if "pdf" in formats:
        out["pdf"] = pdf.write(pages, images, browser_path(), part(done, STEPS["pdf"]))
    if progress:
        progress(1.0, "Présentation prête")
    return out


def to_pptx(slides: Sequence[Slide], progress: Progress | None = None) -> bytes:
    """The PowerPoint alone."""
    return export(slides, ("pptx",), progress)["pptx"]
