"""Personal data is masked before a message enters the NLU inbox: each kind (personal identity code, phone
number, e-mail address, IBAN) in Finnish, Swedish and English messages, through the inbox's own path."""
from __future__ import annotations

import pytest

from bot.studio.inbox_job import candidate

MESSAGES = {
    "fi": {
        "personal_id": ("hetuni on 131052-308T, voiko starttirahaa hakea", "hetuni on [personal id], voiko starttirahaa hakea"),
        "phone": ("soittakaa numeroon 040 123 4567 kiitos", "soittakaa numeroon [phone] kiitos"),
        "email": ("vastaus osoitteeseen matti.meikalainen@yritys.fi", "vastaus osoitteeseen [e-mail]"),
        "iban": ("maksoin tilille FI21 1234 5600 0007 85 eilen", "maksoin tilille [IBAN] eilen"),
    },
    "sv": {
        "personal_id": ("min personbeteckning är 010101A123N", "min personbeteckning är [personal id]"),
        "phone": ("ring mig på +358 50 987 6543 tack", "ring mig på [phone] tack"),
        "email": ("skicka till anna.lindqvist@foretag.ax", "skicka till [e-mail]"),
        "iban": ("kontot är SE45 5000 0000 0583 9825 7466", "kontot är [IBAN]"),
    },
    "en": {
        "personal_id": ("my id code is 131052-308T", "my id code is [personal id]"),
        "phone": ("call me at (09) 816 23000 please", "call me at [phone] please"),
        "email": ("email john.smith@example.com about the grant", "email [e-mail] about the grant"),
        "iban": ("my IBAN is GB82WEST12345698765432", "my IBAN is [IBAN]"),
    },
}


@pytest.mark.parametrize("language, kind", [(lang, kind) for lang, kinds in MESSAGES.items() for kind in kinds])
def test_each_kind_of_personal_data_is_masked_before_the_inbox(language, kind):
    typed, masked = MESSAGES[language][kind]
    event = {"event": "user", "text": typed, "timestamp": 1.0,
             "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.1}, "intent_ranking": []}}
    made = candidate(1, "conv", event, language, 0.5)
    assert made is not None and made.text == masked and made.reason == "not_understood"
