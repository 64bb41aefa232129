"""Placeholder until this page lands."""

import streamlit as st

st.title("dashboard")
st.info("Coming soon.")
