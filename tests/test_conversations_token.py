from bot.web.conversations import conversation_id_from_token, new_conversation_token
from bot.tokens import load_or_create_secret

DAY = 24 * 3600
NOW = 1_790_000_000.0


def test_token_round_trip():
    token = new_conversation_token("secret", now=NOW)
    conversation_id = conversation_id_from_token("secret", token, DAY, now=NOW + 10)
    assert conversation_id is not None and token.startswith(conversation_id)


def test_a_renewed_token_names_the_same_conversation():
    first = new_conversation_token("secret", now=NOW)
    conversation_id = conversation_id_from_token("secret", first, DAY, now=NOW)
    renewed = new_conversation_token("secret", conversation_id, now=NOW + DAY - 1)
    assert renewed != first
    assert conversation_id_from_token("secret", renewed, DAY, now=NOW + DAY + 3600) == conversation_id


def test_a_token_expires_after_its_lifetime():
    token = new_conversation_token("secret", now=NOW)
    assert conversation_id_from_token("secret", token, DAY, now=NOW + DAY) is not None
    assert conversation_id_from_token("secret", token, DAY, now=NOW + DAY + 1) is None
    assert conversation_id_from_token("secret", token, DAY, now=NOW - 3600) is None  # issued in the future


def test_forged_and_malformed_tokens_are_refused():
    token = new_conversation_token("secret", now=NOW)
    assert conversation_id_from_token("other secret", token, DAY, now=NOW) is None
    conversation_id, issued, signature = token.split(".")
    later = format(int(NOW + DAY), "x")
    assert conversation_id_from_token("secret", f"{conversation_id}.{later}.{signature}", DAY, now=NOW) is None
    assert conversation_id_from_token("secret", f"{conversation_id}.{issued}.{'0' * 32}", DAY, now=NOW) is None
    old_format = f"{conversation_id}.{signature}"
    for bad in (None, 42, "", "abc", "a.b.c", conversation_id, old_format, f"../../etc.{issued}.{signature}",
                f"{conversation_id}.-1.{signature}", f"{conversation_id}.{'f' * 40}.{signature}"):
        assert conversation_id_from_token("secret", bad, DAY, now=NOW) is None


def test_secret_is_created_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret.key"
    first = load_or_create_secret("", path)
    assert len(first) == 64
    assert load_or_create_secret("configured", path) == "configured"
    assert load_or_create_secret("", path) == first
