"""Streamlit glue shared by the pages: session keys, login, the connection context, the
dashboard frame, chat rendering, filters, tables, formatting and error messages."""
