"""What every part of the sandbox shares: storage, state, wire formats, errors and tokens.

Nothing here imports from `sandbox.api` or `sandbox.seed`.

- `db`: the SQLite file (records as JSON rows, meta, OAuth grants);
- `books`: the in-memory books each list is answered from, written through to `db`;
- `state`: the running `Sandbox` (config, books, tokens, faults) every handler reaches;
- `tokens`: OAuth codes, access tokens and rotating refresh tokens;
- `kinds`: the accounting resource base class (`Kind`) and its request context;
- `query`: `search[...]` filters, sorting and both pagination styles;
- `wire`: money objects, decimal strings and the three timestamp styles;
- `invoicing`: invoice and estimate arithmetic and status rules;
- `answers`: JSON answers encoded with orjson, byte for byte Starlette's;
- `errors`: `ApiError` and the error body of each API family;
- `faults`: fault injection middleware (latency, 5xx, rate limits, errors inside a 200).
"""
