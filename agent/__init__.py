"""The chat agent: tools over fbclient, a confirm-before-write loop (issue 5)."""
