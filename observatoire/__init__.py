"""Shared code of the Observatoire COORACE dashboard (no Streamlit import here)."""
