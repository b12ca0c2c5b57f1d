"""Benchmark floor: the emptiest Streamlit page (one title)."""

import streamlit as st

st.title("Page vide")
