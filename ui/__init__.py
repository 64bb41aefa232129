"""Streamlit glue shared by the pages: the engine, the signed-in user, and error display."""
