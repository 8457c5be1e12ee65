"""The configuration contract: environment first, then secrets.toml, then defaults."""

from __future__ import annotations

import pytest

from settings import DEFAULT_MODEL, load_settings


def test_defaults(tmp_path):
    s = load_settings({}, tmp_path / "missing.toml")
    assert s.demo_mode
    assert not s.chat_enabled
    assert s.freshbooks_redirect_uri == "http://localhost:8501/"
    assert s.freshbooks_api_url == "https://api.freshbooks.com"
    assert s.freshbooks_auth_url == "https://auth.freshbooks.com"
    assert s.copilot_model == DEFAULT_MODEL
    assert s.copilot_database_url.startswith("sqlite:///")
    assert s.copilot_database_url.endswith("data/copilot.db")


def test_environment_wins_over_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'FRESHBOOKS_CLIENT_ID = "from-file"\nFRESHBOOKS_CLIENT_SECRET = "s3cret"\nOPENAI_BASE_URL = "http://127.0.0.1:11434/v1"\n'
    )
    s = load_settings({"FRESHBOOKS_CLIENT_ID": "from-env"}, secrets)
    assert s.freshbooks_client_id == "from-env"
    assert s.freshbooks_client_secret == "s3cret"
    assert not s.demo_mode
    assert s.chat_enabled  # a local OpenAI-compatible server needs no key
    assert "s3cret" not in repr(s)


def test_broken_secrets_file_is_a_clear_error(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("this is = = not toml")
    with pytest.raises(ValueError, match="could not be read"):
        load_settings({}, secrets)


def test_an_auth_table_turns_on_hosted_mode(tmp_path):
    assert not load_settings({}, tmp_path / "missing.toml").hosted
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "https://app.example/oauth2callback"\n')
    assert load_settings({}, secrets).hosted
    secrets.write_text("[auth]\n")  # an empty table configures no login
    assert not load_settings({}, secrets).hosted
    secrets.write_text('auth = "yes"\n')  # only a table is Streamlit's [auth]
    assert not load_settings({"HOSTED": "1"}, secrets).hosted  # and never the environment


def test_model_context_defaults_to_a_local_servers_window(tmp_path):
    assert load_settings({}, tmp_path / "missing.toml").copilot_model_context == 4096


def test_model_context_from_the_environment_or_the_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("COPILOT_MODEL_CONTEXT = 32768\n")  # a TOML number
    assert load_settings({}, secrets).copilot_model_context == 32768
    env = {"COPILOT_MODEL_CONTEXT": " 16_384 "}
    assert load_settings(env, secrets).copilot_model_context == 16384


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("lots", "whole number"),
        ("8k", "whole number"),
        ("-5", "whole number"),
        ("2048", "at least"),
    ],
)
def test_a_bad_model_context_is_a_clear_error(tmp_path, value, says):
    with pytest.raises(ValueError, match=says) as caught:
        load_settings({"COPILOT_MODEL_CONTEXT": value}, tmp_path / "missing.toml")
    assert "COPILOT_MODEL_CONTEXT" in str(caught.value)


def test_scopes_default_to_the_products_choice_and_can_be_set(tmp_path):
    from settings import DEFAULT_SCOPES

    assert load_settings({}, tmp_path / "none.toml").scopes == DEFAULT_SCOPES
    chosen = load_settings(
        {"FRESHBOOKS_SCOPES": "user:profile:read  user:estimates:read"}, tmp_path / "none.toml"
    )
    assert chosen.scopes == ("user:profile:read", "user:estimates:read")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("user:profile:read estimates", "FRESHBOOKS_SCOPES: estimates is not a scope"),
        ("user:invoices:read", "FRESHBOOKS_SCOPES must include user:profile:read"),
    ],
)
def test_a_malformed_scope_list_is_a_clear_error(tmp_path, value, message):
    with pytest.raises(ValueError, match=message):
        load_settings({"FRESHBOOKS_SCOPES": value}, tmp_path / "none.toml")
