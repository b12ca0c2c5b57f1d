"""The pages the benchmark measures, with the URL path Streamlit serves each one at (from the one page list)."""

from observatoire.ui import DATA_PAGES

PAGES = {page.label: (page.path, page.url_path) for page in DATA_PAGES}
TERRITORY = "fed-midi-pyrenees"
