"""FreshBooks Copilot over the Model Context Protocol: the agent's tools for any assistant.

``python -m mcp_server`` serves stdio; ``--transport http`` serves Streamable HTTP at ``/mcp``
with a bearer token made on the app's Settings page. Same configuration as the app, same tool
registry, same confirmation before every write, same audit log.
"""

from __future__ import annotations

from .server import McpApp

__all__ = ["McpApp"]
