"""OAuth provider: authorize page, code exchange, refresh rotation, revoke, scopes."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from sandbox.config import SandboxConfig, parse_args
from sandbox.core.tokens import ALL_SCOPES
from sandbox.demo_token import issue_token

REDIRECT = "http://localhost:8501/"
ACCOUNTING = "/accounting/account/ABC123"


def authorize_params(**extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "sandbox-client",
        "redirect_uri": REDIRECT,
        "state": "xyz 123",
    }
    params.update(extra)
    return params


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


def approve(api, path: str = "/oauth/authorize", decision: str = "approve", **extra: str):
    page = api.get(path, params=authorize_params(**extra))
    assert page.status_code == 200
    form = {**hidden_fields(page.text), "decision": decision}
    return api.post(path, data=form)


def code_from(response) -> str:
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == ["xyz 123"]
    return query["code"][0]


def exchange(api, code: str, **body):
    data = {
        "grant_type": "authorization_code",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-secret",
        "redirect_uri": REDIRECT,
        "code": code,
        **body,
    }
    return api.post("/auth/oauth/token", data=data)


def refresh(api, token: str, **kwargs):
    data = {
        "grant_type": "refresh_token",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-secret",
        "redirect_uri": REDIRECT,
        "refresh_token": token,
    }
    return api.post("/auth/oauth/token", data=data, **kwargs)


def test_authorize_page_names_app_scopes_and_buttons(anon):
    page = anon.get("/oauth/authorize", params=authorize_params(scope="user:profile:read"))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "FreshBooks Copilot" in page.text
    assert "user:profile:read" in page.text
    assert 'value="approve"' in page.text
    assert ">Approve<" in page.text
    assert ">Deny<" in page.text
    assert hidden_fields(page.text)["state"] == "xyz 123"


@pytest.mark.parametrize("path", ["/oauth/authorize", "/service/auth/oauth/authorize"])
def test_approve_redirects_with_code_and_state_then_code_exchanges(anon, path):
    code = code_from(approve(anon, path))
    token = exchange(anon, code)
    assert token.status_code == 200
    body = token.json()
    assert set(body) >= {"access_token", "refresh_token", "scope", "created_at", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 43200
    assert "user:invoices:write" in body["scope"].split()
    me = anon.get(
        "/auth/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


def test_deny_redirects_with_access_denied_and_state(anon):
    response = approve(anon, decision="deny")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"error": ["access_denied"], "state": ["xyz 123"]}
    assert response.headers["location"].startswith(REDIRECT)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("redirect_uri", "http://evil.test/"),
        ("redirect_uri", REDIRECT + "x"),
        ("client_id", "nope"),
    ],
)
def test_bad_client_or_redirect_is_an_html_400_never_a_redirect(anon, field, value):
    for method in ("GET", "POST"):
        params = authorize_params(**{field: value})
        if method == "GET":
            response = anon.get("/oauth/authorize", params=params)
        else:
            response = anon.post("/oauth/authorize", data={**params, "decision": "approve"})
        assert response.status_code == 400
        assert "location" not in response.headers
        assert response.headers["content-type"].startswith("text/html")


def test_custom_redirect_uris_replace_defaults(make_app, make_api):
    app = make_app(redirect_uris=("https://app.example/callback",))
    api = make_api(app)
    assert api.get("/oauth/authorize", params=authorize_params()).status_code == 400
    ok = api.get(
        "/oauth/authorize", params=authorize_params(redirect_uri="https://app.example/callback")
    )
    assert ok.status_code == 200


def test_code_is_single_use(anon):
    code = code_from(approve(anon))
    assert exchange(anon, code).status_code == 200
    again = exchange(anon, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_code_expires_after_five_minutes(anon, clock):
    code = code_from(approve(anon))
    clock.advance(minutes=5, seconds=1)
    response = exchange(anon, code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_bound_to_its_redirect_uri(anon):
    code = code_from(approve(anon))
    response = exchange(anon, code, redirect_uri="http://127.0.0.1:8501/")
    assert response.json()["error"] == "invalid_grant"


def test_token_endpoint_accepts_json_multipart_and_basic_auth(anon):
    common = {"grant_type": "authorization_code", "redirect_uri": REDIRECT}
    secret = {"client_id": "sandbox-client", "client_secret": "sandbox-secret"}
    json_body = anon.post(
        "/auth/oauth/token", json={**common, **secret, "code": code_from(approve(anon))}
    )
    assert json_body.status_code == 200, json_body.text
    multipart = anon.post(
        "/auth/oauth/token",
        files={
            k: (None, v) for k, v in {**common, **secret, "code": code_from(approve(anon))}.items()
        },
    )
    assert multipart.status_code == 200, multipart.text
    assert multipart.request.headers["content-type"].startswith("multipart/form-data")
    basic = base64.b64encode(b"sandbox-client:sandbox-secret").decode()
    via_basic = anon.post(
        "/auth/oauth/token",
        data={**common, "code": code_from(approve(anon))},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert via_basic.status_code == 200, via_basic.text


def test_wrong_client_secret_is_invalid_client(anon):
    code = code_from(approve(anon))
    response = exchange(anon, code, client_secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_refresh_rotates_and_reuse_is_invalid_grant(anon):
    first = exchange(anon, code_from(approve(anon))).json()
    second = refresh(anon, first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    reused = refresh(anon, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert reused.json()["error_description"]
    assert refresh(anon, rotated["refresh_token"], json=None).status_code == 200


def test_refresh_keeps_granted_scopes(anon):
    code = code_from(approve(anon, scope="user:profile:read user:clients:read"))
    first = exchange(anon, code).json()
    assert first["scope"] == "user:profile:read user:clients:read"
    assert refresh(anon, first["refresh_token"]).json()["scope"] == first["scope"]


def test_revoke_invalidates_the_pair(app, anon):
    token = issue_token(app)
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert anon.get("/auth/api/v1/users/me", headers=bearer).status_code == 200
    revoked = anon.post(
        "/auth/oauth/revoke",
        data={
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
            "token": token["refresh_token"],
        },
    )
    assert revoked.status_code == 200
    assert anon.get("/auth/api/v1/users/me", headers=bearer).status_code == 401
    assert refresh(anon, token["refresh_token"]).json()["error"] == "invalid_grant"


def test_access_token_expires_after_twelve_hours(app, anon, clock):
    token = issue_token(app)
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    clock.advance(hours=11, minutes=59)
    assert anon.get("/auth/api/v1/users/me", headers=bearer).status_code == 200
    clock.advance(minutes=2)
    expired = anon.get(f"{ACCOUNTING}/users/clients", headers=bearer)
    assert expired.status_code == 401
    assert expired.json()["response"]["errors"][0]["errno"] == 1003


def test_missing_scope_is_403_naming_provided_and_required(app, make_api):
    api = make_api(app, issue_token(app, ["user:profile:read", "user:clients:read"]))
    assert api.get(f"{ACCOUNTING}/users/clients").status_code == 200
    response = api.get(f"{ACCOUNTING}/invoices/invoices")
    assert response.status_code == 403
    assert response.json() == {
        "message": "insufficient_scope: The request requires higher privileges than provided by "
        "the access token. Provided: ['user:profile:read user:clients:read']. "
        "Required: ['user:invoices:read']."
    }
    write = api.post(f"{ACCOUNTING}/users/clients", json={"client": {"fname": "A"}})
    assert write.status_code == 403
    assert "Required: ['user:clients:write']" in write.json()["message"]
    project = api.get("/projects/business/77/projects")
    assert "Required: ['user:projects:read']" in project.json()["message"]


def test_unknown_scope_redirects_with_invalid_scope(anon):
    response = anon.get("/oauth/authorize", params=authorize_params(scope="user:bogus:read"))
    assert response.status_code == 302
    assert "error=invalid_scope" in response.headers["location"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"{ACCOUNTING}/users/clients", "response"),
        ("/projects/business/77/projects", "message"),
        ("/timetracking/business/77/time_entries", "message"),
        ("/comments/business/77/services", "message"),
        ("/auth/api/v1/users/me", "error"),
    ],
)
def test_missing_or_bad_bearer_gets_the_family_401_body(anon, path, expected):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = anon.get(path, headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert expected in body
    if expected == "message":
        assert body["message"].startswith("invalid_token:")
    if expected == "error":
        assert body["error"] == "unauthenticated"


# --scopes: the OAuth app's registered scope list -----------------------------------------------

# The 17 scopes the integration guide has users tick (see /work/shared/seed-scopes.md);
# `user:account:read` is not one the sandbox (or FreshBooks' own list) knows.
GUIDE_SCOPES = (
    "user:profile:read user:clients:read user:clients:write user:invoices:read "
    "user:invoices:write user:expenses:read user:expenses:write user:payments:read "
    "user:payments:write user:projects:read user:projects:write user:time_entries:read "
    "user:time_entries:write user:account:read user:teams:read user:teams:write user:reports:read"
)


def redirect_query(response) -> dict[str, list[str]]:
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["location"]).query)


def test_scopes_option_defaults_to_every_known_scope_and_takes_one_spaced_string():
    assert parse_args([]).scopes is None
    assert parse_args([]).registered_scopes == ALL_SCOPES
    config = parse_args(["--scopes", " user:profile:read  user:clients:read user:profile:read "])
    assert config.scopes == ("user:profile:read", "user:clients:read")
    assert config.registered_scopes == config.scopes
    guide = parse_args(["--scopes", GUIDE_SCOPES])
    assert len(guide.registered_scopes) == 17
    assert "user:account:read" in guide.registered_scopes


@pytest.mark.parametrize("value", ["", "   ", "user:profile:read,user:clients:read"])
def test_empty_or_comma_separated_scopes_are_a_usage_error(value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--scopes", value])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_an_empty_registered_list_is_refused():
    with pytest.raises(ValueError, match="at least one scope"):
        SandboxConfig(scopes=())


def test_in_list_request_is_granted_and_carried_by_the_token(make_app, make_api):
    api = make_api(make_app(scopes=("user:profile:read", "user:clients:read", "user:taxes:read")))
    code = code_from(approve(api, scope="user:clients:read user:profile:read"))
    body = exchange(api, code).json()
    assert body["scope"] == "user:clients:read user:profile:read"


def test_out_of_list_request_redirects_with_invalid_scope_and_state(make_app, make_api):
    api = make_api(make_app(scopes=("user:profile:read", "user:clients:read")))
    for path in ("/oauth/authorize", "/service/auth/oauth/authorize"):
        asked = authorize_params(scope="user:clients:read user:invoices:read")
        assert redirect_query(api.get(path, params=asked)) == {
            "error": ["invalid_scope"],
            "state": ["xyz 123"],
        }
        posted = api.post(path, data={**asked, "decision": "approve"})
        assert redirect_query(posted)["error"] == ["invalid_scope"]


def test_request_without_scope_is_granted_the_registered_list(make_app, make_api):
    registered = ("user:clients:read", "user:profile:read")
    app = make_app(scopes=registered)
    api = make_api(app)
    page = api.get("/oauth/authorize", params=authorize_params())
    assert "user:clients:read" in page.text
    assert "user:invoices:read" not in page.text
    body = exchange(api, code_from(approve(api))).json()
    assert body["scope"] == "user:clients:read user:profile:read"
    assert issue_token(app)["scope"] == body["scope"]  # demo tokens get the same


def test_default_registration_still_rejects_scopes_the_sandbox_does_not_know(anon):
    response = anon.get("/oauth/authorize", params=authorize_params(scope="user:account:read"))
    assert redirect_query(response)["error"] == ["invalid_scope"]
    body = exchange(anon, code_from(approve(anon))).json()
    assert tuple(body["scope"].split()) == ALL_SCOPES


def test_the_guides_17_scopes_register_grant_and_exchange(make_app, make_api):
    app = make_app(scopes=parse_args(["--scopes", GUIDE_SCOPES]).scopes)
    api = make_api(app)
    body = exchange(api, code_from(approve(api, scope=GUIDE_SCOPES))).json()
    assert body["scope"].split() == GUIDE_SCOPES.split()
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert api.get(f"{ACCOUNTING}/invoices/invoices", headers=bearer).status_code == 200
    estimates = api.get(f"{ACCOUNTING}/estimates/estimates", headers=bearer)
    assert estimates.status_code == 403  # granted scopes are enforced on API routes
    assert "Required: ['user:estimates:read']" in estimates.json()["message"]
    more = authorize_params(scope=f"{GUIDE_SCOPES} user:estimates:read")
    assert redirect_query(api.get("/oauth/authorize", params=more)) == {
        "error": ["invalid_scope"],
        "state": ["xyz 123"],
    }
