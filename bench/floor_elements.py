"""Benchmark floor: a page of N short texts (N from ?n=), nothing computed.

It shows what Streamlit and AppTest cost per element, so that a page's time can be read
against a page of the same size.
"""

import streamlit as st

n = int(st.query_params.get("n", "50"))
for i in range(n):
    st.markdown(f"Texte {i}")
