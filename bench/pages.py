"""The pages the benchmark measures, with the URL path Streamlit serves each one at (from the one page list), and
the views a person opens: every page, and every other section of a page in sections (?onglet=…)."""

from urllib.parse import quote_plus

from observatoire.ui import DATA_PAGES, SECTION_PARAM

PAGES = {page.label: (page.path, page.url_path) for page in DATA_PAGES}
TERRITORY = "fed-midi-pyrenees"


def section_query(section: str) -> str:
    """The query string that opens a page on this section (show.section reads it)."""
    return f"{SECTION_PARAM}={quote_plus(section)}"


def _views() -> dict[str, tuple[str, str, str]]:
    """name -> (script, URL path, section query): a page on its first section, then each other section."""
    views = {}
    for page in DATA_PAGES:
        views[page.label] = (page.path, page.url_path, "")
        for section in page.sections[1:]:
            views[f"{page.label} · {section}"] = (page.path, page.url_path, section_query(section))
    return views


VIEWS = _views()


def interleaved() -> list[str]:
    """Every view as « url_path[?onglet=…] », first sections of every page, then second sections, and so on: a
    session never asks for two sections of one page in a row (that page's open tab would then be kept, as in a
    browser, rather than read from the URL)."""
    ranked = [(rank, page.url_path + (f"?{section_query(section)}" if rank else ""))
              for page in DATA_PAGES for rank, section in enumerate(page.sections or ("",))]
    return [view for _, view in sorted(ranked, key=lambda pair: pair[0])]
