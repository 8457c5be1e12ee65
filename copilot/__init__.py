"""App services without Streamlit: the runtime, the FreshBooks connection, the local mirror,
a business's books and frames, the chat session, the demo sandbox, the audit log."""
