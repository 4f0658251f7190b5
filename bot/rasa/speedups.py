"""Rasa's own work made cheaper inside our Rasa process, with the same results.

`RemoteAction._validate_action_result` (rasa 3.6) calls `jsonschema.validate` on every reply
of the action server. That checks the response schema against the JSON Schema meta-schema
and builds a new validator each time: about 20 ms per custom action on 2 cores, the largest
single cost of a message in a profile of the Rasa server (issue 14). The schema is a constant,
so it is checked once here and its validator reused; a reply that breaks the schema raises
the same ValidationError, with Rasa's own hint appended, as before.
"""
from __future__ import annotations

import functools
from typing import Any, Dict

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_HINT = (
    ". Failed to validate Action server response from API, make sure your response from the "
    f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
)


@functools.lru_cache(maxsize=1)
def action_result_validator() -> Validator:
    """The validator of the action server's reply, its schema checked once per process."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += _HINT
        raise error
    return True


def install() -> None:
    """Use the reusable validator in this process's RemoteAction (call before Rasa starts)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]

