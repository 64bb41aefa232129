"""Placeholder until this page lands."""

import streamlit as st

st.title("matching")
st.info("Coming soon.")
