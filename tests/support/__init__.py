"""What the tests share: helpers, builders and test doubles that are not part of the product.

Import them relatively (``from ..support.audit import MemoryAudit``), never from a conftest.

- ``accounting_wire``: accounting API envelopes, classic error bodies and a paging respx fake.
- ``apptest_text``: everything an ``AppTest`` run rendered, as one searchable text.
- ``audit``: ``MemoryAudit``, the agent's audit log in a list.
- ``clock``: the suite's instant (``COPILOT_TEST_NOW``) and commands for children to share it.
- ``constants``: shared values: the mocked API and its ids, the app script, config names, seed-7 ids.
- ``fake_model``: ``FakeChatModel``, a scripted chat model, and ``tool_call``.
- ``faulty_transport``: ``Faults`` and ``FaultyTransport``, fault injection on any transport.
- ``forecast_reference``: the cash forecast of old, the reference for today's faster one.
- ``frames_probe``: ``streamlit run`` with every ``FramesCache.frames`` call written to a file.
- ``hosted_auth``: hosted mode in AppTest: an ``[auth]`` secrets file and simulated OIDC users.
- ``injection_corpus``: the prompt-injection texts hidden in FreshBooks data.
- ``mcp_sessions``: MCP servers (stdio child, HTTP in a thread) and the SDK's client sessions.
- ``model_builders``: wire-like FreshBooks records validated through the real models.
- ``note_tools``: a tiny tool registry over an in-memory note store, for the loop's mechanics.
- ``per_row_frames``: the per-row frame builders of old, the reference for today's frames.
- ``postgres_server``: a throwaway PostgreSQL server on loopback for the store tests.
- ``records``: records of the seeded demo business, found by what they are.
- ``run_at``: ``python -m tests.support.run_at INSTANT ...`` runs a child at that instant.
- ``runtime_doubles``: recording stand-ins for the runtime's collaborators.
- ``sandbox``: hand-written demo data (``tiny_demo``), bearer headers, ``LiveServer``.
- ``sandbox_api``: a settable ``FakeClock`` and a synchronous ``Api`` over a sandbox app.
- ``sandbox_oauth``: the sandbox's OAuth test client and ``approve`` on its consent page.
- ``sandbox_tools``: the agent's real tools over the in-process seed-7 sandbox (``sandbox_env``).
- ``scripted_agent``: every real tool, ``strict_call`` and ``agent_with`` a scripted model.
- ``sidebar_timer_app``: the sidebar timer alone, as an app script for ``AppTest``.
- ``snapshot``: every list of one business fetched straight from the API (``fetch_snapshot``).
- ``synced_sandbox``: the seed-7 sandbox synced into a mirror, requests counted.
- ``transports``: ``CountingTransport``, which remembers each request (and the writes).
- ``turns``: reading what a turn yielded (``run``, ``of_type``, ``text_of``, ...).
- ``two_accounts``: two FreshBooks accounts behind one API origin, for isolation tests.
"""
