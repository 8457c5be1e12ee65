"""The chat agent: tools over fbclient, and a loop that asks the user before any write."""
