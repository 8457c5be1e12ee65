"""The OAuth provider: authorize page (Approve / Deny), token endpoint, revoke.

- `GET /oauth/authorize` (also `/service/auth/oauth/authorize`) checks `client_id` and the exact
  `redirect_uri`; a bad client or redirect gets an HTML 400 page, never a redirect.
- `POST` to the same path is the form of the page: Approve redirects with `code` and `state`,
  Deny with `error=access_denied` and `state`.
- Scopes are checked against the app's registered list (`--scopes`, default every scope the
  sandbox knows): any outside it redirect with `error=invalid_scope` and `state`; a request
  without `scope` is granted the whole list.
- `POST /auth/oauth/token` takes form, multipart or JSON bodies, client credentials in the body
  or by HTTP Basic, and the `authorization_code` and `refresh_token` grants.
- `POST /auth/oauth/revoke` invalidates a token and its pair.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox.api.plumbing import sandbox_of
from sandbox.config import SandboxConfig
from sandbox.core.tokens import GrantError

AUTHORIZE_PATHS = ("/oauth/authorize", "/service/auth/oauth/authorize")
APP_NAME = "FreshBooks Copilot"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {app} - FreshBooks sandbox</title>
<style>body{{font-family:sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5}}
button{{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}}</style></head>
<body><h1>Authorize {app}</h1>
<p><strong>{app}</strong> (client <code>{client_id}</code>) would like to access your FreshBooks
account <strong>{user}</strong> with these permissions:</p>
<ul>{scopes}</ul>
<form method="post" action="{action}">
{hidden}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p><small>This is the FreshBooks sandbox; no real account is involved.</small></p>
</body></html>
"""

_ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization error</title></head>
<body><h1>Authorization error</h1><p>{message}</p></body></html>
"""


def _error_page(message: str) -> HTMLResponse:
    return HTMLResponse(_ERROR_PAGE.format(message=html.escape(message)), status_code=400)


def _redirect(uri: str, params: dict[str, str]) -> RedirectResponse:
    separator = "&" if "?" in uri else "?"
    return RedirectResponse(f"{uri}{separator}{urlencode(params)}", status_code=302)


def _check_client(request: Request, params: dict[str, str]) -> HTMLResponse | None:
    config = sandbox_of(request).config
    if params.get("client_id") != config.client_id:
        return _error_page("Unknown client_id: this application is not registered.")
    if params.get("redirect_uri") not in config.redirect_uris:
        return _error_page("The redirect_uri does not match any URI registered for this app.")
    return None


def _requested_scopes(raw: str | None, registered: tuple[str, ...]) -> tuple[str, ...] | None:
    """The scopes asked for: the registered list when omitted, None (invalid) when any is outside it.

    The default registered list is every scope the sandbox knows, so unknown scopes are invalid.
    """
    scopes = tuple(dict.fromkeys((raw or "").replace("+", " ").split()))
    if not scopes:
        return registered
    return scopes if all(s in registered for s in scopes) else None


async def authorize(request: Request) -> Response:
    """The consent page (GET) and its Approve/Deny form handler (POST)."""
    if request.method == "POST":
        form = await request.form()
        params = {k: str(v) for k, v in form.items()}
    else:
        params = dict(request.query_params)
    failure = _check_client(request, params)
    if failure is not None:
        return failure
    redirect_uri = params["redirect_uri"]
    state = {"state": params["state"]} if params.get("state") else {}
    if params.get("response_type") != "code":
        return _redirect(redirect_uri, {"error": "unsupported_response_type", **state})
    scopes = _requested_scopes(params.get("scope"), sandbox_of(request).config.registered_scopes)
    if scopes is None:
        return _redirect(redirect_uri, {"error": "invalid_scope", **state})
    if request.method == "GET":
        return HTMLResponse(_page(request, params, scopes))
    if params.get("decision") != "approve":
        return _redirect(redirect_uri, {"error": "access_denied", **state})
    code = sandbox_of(request).tokens.issue_code(params["client_id"], redirect_uri, scopes)
    return _redirect(redirect_uri, {"code": code, **state})


def _page(request: Request, params: dict[str, str], scopes: tuple[str, ...]) -> str:
    identity = sandbox_of(request).books.identity
    user = f"{identity.get('first_name', '')} {identity.get('last_name', '')}".strip()
    keep = ("client_id", "redirect_uri", "response_type", "scope", "state")
    hidden = "\n".join(
        f'<input type="hidden" name="{k}" value="{html.escape(params[k], quote=True)}">'
        for k in keep
        if params.get(k) is not None
    )
    return _PAGE.format(
        app=html.escape(APP_NAME),
        client_id=html.escape(params["client_id"]),
        user=html.escape(user or str(identity.get("email", ""))),
        scopes="".join(f"<li><code>{html.escape(s)}</code></li>" for s in scopes),
        action=html.escape(request.url.path, quote=True),
        hidden=hidden,
    )


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


async def _token_params(request: Request) -> dict[str, str]:
    """Body fields from JSON, form-urlencoded or multipart; Basic auth fills client creds."""
    content_type = request.headers.get("content-type", "").lower()
    params: dict[str, str] = {}
    if "json" in content_type:
        try:
            body: Any = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        if isinstance(body, dict):
            params = {k: str(v) for k, v in body.items() if v is not None}
    else:
        form = await request.form()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and credentials:
        try:
            client_id, _, secret = base64.b64decode(credentials).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            client_id, secret = "", ""
        params.setdefault("client_id", client_id)
        params.setdefault("client_secret", secret)
    return params


def _client_authenticated(params: dict[str, str], config: SandboxConfig) -> bool:
    """The token and revoke endpoints both require the registered client's id and secret."""
    return (
        params.get("client_id") == config.client_id
        and params.get("client_secret") == config.client_secret
    )


async def token(request: Request) -> Response:
    """The token endpoint: authorization_code and refresh_token grants."""
    box = sandbox_of(request)
    params = await _token_params(request)
    if not _client_authenticated(params, box.config):
        return _oauth_error(401, "invalid_client", "Client authentication failed.")
    grant_type = params.get("grant_type")
    try:
        if grant_type == "authorization_code":
            if not params.get("code"):
                return _oauth_error(400, "invalid_request", "Missing parameter: code.")
            body = box.tokens.redeem_code(
                params["code"], params["client_id"], params.get("redirect_uri")
            )
        elif grant_type == "refresh_token":
            if not params.get("refresh_token"):
                return _oauth_error(400, "invalid_request", "Missing parameter: refresh_token.")
            body = box.tokens.refresh(params["refresh_token"], params["client_id"])
        else:
            return _oauth_error(
                400, "unsupported_grant_type", f"Unsupported grant type: {grant_type!r}."
            )
    except GrantError as exc:
        return _oauth_error(400, "invalid_grant", str(exc))
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def revoke(request: Request) -> Response:
    """Revoke a refresh or access token (and its pair). Unknown tokens succeed quietly."""
    box = sandbox_of(request)
    params = await _token_params(request)
    if not _client_authenticated(params, box.config):
        return _oauth_error(401, "invalid_client", "Client authentication failed.")
    if not params.get("token"):
        return _oauth_error(400, "invalid_request", "Missing parameter: token.")
    box.tokens.revoke(params["token"], params["client_id"])
    return JSONResponse({})


ROUTES = [
    *(Route(path, authorize, methods=["GET", "POST"]) for path in AUTHORIZE_PATHS),
    *(Route(path + "/", authorize, methods=["GET", "POST"]) for path in AUTHORIZE_PATHS),
    Route("/auth/oauth/token", token, methods=["POST"]),
    Route("/auth/oauth/revoke", revoke, methods=["POST"]),
]


def authorize_url(base_url: str, client_id: str, redirect_uri: str, **extra: str) -> str:
    """Build an authorize URL on a sandbox origin (handy in tests and docs)."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
    return f"{base_url.rstrip('/')}/oauth/authorize?{urlencode({**query, **extra})}"
