"""The HTTP handlers: one module per FreshBooks API family or resource.

Routes (each module's `ROUTES`, assembled by `sandbox.app.create_app`):

- `oauth`: authorize page, token endpoint, revoke;
- `identity`: `/auth/api/v1/users/me` and team members;
- `accounting`: every `/accounting/account/{id}/...` resource, run through its `Kind`;
- `reports`: profit and loss, tax summary, payments collected, aging;
- `projects`, `timetracking`, `services`: the project-style families.

Accounting kinds (used by `accounting`): `clients`, `invoices` (and estimates), `payments`,
`expenses` (and categories), `catalog` (items, taxes, staff, tasks). Shared by the handlers:
`plumbing` (the sandbox of a request, bearer tokens, scopes, JSON bodies) and `projectstyle`
(the project families' parameters, envelopes and errors).
"""
