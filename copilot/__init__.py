"""App services without Streamlit: the runtime, the FreshBooks connection, the demo sandbox."""
