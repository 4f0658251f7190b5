"""The language of each conversation's latest answer, as the NLG endpoint of this process wrote it.

Rasa asks the NLG endpoint (the internal site, in the same process as the widget's gateway
when one instance serves both) for every answer's text, in the conversation's language. The
gateway tells the widget that language with each reply; reading it here costs nothing, while
asking Rasa for the tracker's slots would load the whole conversation again. When another
instance wrote the answer (several instances behind one NLG address), nothing newer than the
message is noted here and the gateway asks Rasa instead.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Optional, Tuple


class AnswerLanguages:
    """Conversation id -> (language, monotonic time) of its latest answer; the oldest forgotten."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._latest: "OrderedDict[str, Tuple[str, float]]" = OrderedDict()

    def note(self, conversation_id: str, language: str) -> None:
        """An answer of `conversation_id` was written in `language` just now."""
        self._latest[conversation_id] = (language, time.monotonic())
        self._latest.move_to_end(conversation_id)
        while len(self._latest) > self._size:
            self._latest.popitem(last=False)

    def since(self, conversation_id: str, moment: float) -> Optional[str]:
        """The language of an answer written at or after `moment` (time.monotonic()), if any."""
        entry = self._latest.get(conversation_id)
        return entry[0] if entry is not None and entry[1] >= moment else None
