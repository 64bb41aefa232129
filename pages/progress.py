"""Placeholder until this page lands."""

import streamlit as st

st.title("progress")
st.info("Coming soon.")
