"""Benchmark floor: a page holding one plotly chart and nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.title("Un graphique")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])), key="floor_chart")
