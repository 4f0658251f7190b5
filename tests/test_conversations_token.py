from bot.web.conversations import conversation_id_from_token, new_conversation_token
from bot.tokens import load_or_create_secret


def test_token_round_trip():
    token = new_conversation_token("secret")
    conversation_id = conversation_id_from_token("secret", token)
    assert conversation_id is not None and token.startswith(conversation_id)


def test_forged_and_malformed_tokens_are_refused():
    token = new_conversation_token("secret")
    assert conversation_id_from_token("other secret", token) is None
    conversation_id, signature = token.split(".")
    assert conversation_id_from_token("secret", f"{conversation_id}.{'0' * 32}") is None
    for bad in (None, 42, "", "abc", "a.b.c", f"{conversation_id}", f"../../etc.{signature}"):
        assert conversation_id_from_token("secret", bad) is None


def test_secret_is_created_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret.key"
    first = load_or_create_secret("", path)
    assert len(first) == 64
    assert load_or_create_secret("", path) == first
    assert load_or_create_secret("configured", path) == "configured"
