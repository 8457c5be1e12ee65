"""Streamlit glue shared by the pages: session keys, the connection context, data loading."""
