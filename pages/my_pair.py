"""Placeholder until this page lands."""

import streamlit as st

st.title("my_pair")
st.info("Coming soon.")
