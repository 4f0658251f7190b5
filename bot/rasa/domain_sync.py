"""Keeps domain.yml's `responses:` in step with data/responses/ (the source of the answers).

Rasa asks the NLG endpoint for every answer, but `rasa data validate` wants a
response entry per utter_ name in the domain; the domain carries a generated
copy of the English answers, checked by the tests.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Set

import yaml

from bot.yaml_files import read_mapping
from bot.content.responses import ResponseCatalog, ResponseFileError

MARKER = "# Generated from data/responses/en.yml by `python -m bot responses sync-domain`: do not edit.\n"


def _split(domain_text: str) -> str:
    head, sep, _ = domain_text.partition(MARKER)
    if not sep:
        raise ValueError("domain.yml has no generated responses section marker")
    return head


def domain_response_names(root: Path) -> Set[str]:
    """Answers the domain must declare: the utter_ actions of rules and stories.

    Answers that only custom actions send (with values filled in) stay out of
    the domain: the NLG endpoint serves them by name.
    """
    names: Set[str] = set()
    for folder in ("rules", "stories"):
        for path in sorted((root / "data" / folder).glob("*.yml")):
            data = read_mapping(path)
            for block in data.get("rules", []) + data.get("stories", []):
                for step in block.get("steps", []) + block.get("condition", []):
                    action = step.get("action") if isinstance(step, dict) else None
                    if isinstance(action, str) and action.startswith("utter_"):
                        names.add(action)
    return names


def generated_section(catalog: ResponseCatalog, names: Set[str]) -> str:
    english: Dict[str, Any] = {k: v for k, v in sorted(catalog.tables["en"].items()) if k in names}
    body = yaml.safe_dump({"responses": english}, allow_unicode=True, sort_keys=False, width=100000)
    return MARKER + body


def write_domain_responses(root: Path) -> bool:
    """Rewrite the generated section; True when domain.yml changed."""
    path = root / "domain.yml"
    text = path.read_text(encoding="utf-8")
    catalog = ResponseCatalog.from_directory(root / "data" / "responses")
    new_text = _split(text) + generated_section(catalog, domain_response_names(root))
    if new_text == text:
        return False
    path.write_text(new_text, encoding="utf-8")
    return True


def problems(root: Path) -> List[str]:
    """Everything wrong between the response files, and between them and the domain."""
    try:
        catalog = ResponseCatalog.from_directory(root / "data" / "responses")
    except ResponseFileError as exc:
        return [str(exc)]
    found = catalog.inconsistencies()
    text = (root / "domain.yml").read_text(encoding="utf-8")
    try:
        head = _split(text)
    except ValueError as exc:
        return found + [str(exc)]
    names = domain_response_names(root)
    missing = sorted(names - set(catalog.tables["en"]))
    found.extend(f"{name} is used by the dialogue but has no answer in data/responses/" for name in missing)
    if text != head + generated_section(catalog, names):
        found.append("domain.yml responses differ from data/responses/en.yml: run `python -m bot responses sync-domain`")
    domain = yaml.safe_load(text) or {}
    for action in domain.get("actions") or []:
        if isinstance(action, str) and action.startswith("utter_") and action not in catalog.tables["en"]:
            found.append(f"{action} is listed in the domain but has no answer in data/responses/")
    return found
