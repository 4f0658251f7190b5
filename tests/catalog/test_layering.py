"""The catalogue's modules depend one way: queries -> listings -> hits, no private names across."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Tuple

CATALOG = Path(__file__).resolve().parents[2] / "bot" / "catalog"


def imports(path: Path) -> Iterator[Tuple[str, str]]:
    """(module, name) of every `from bot... import name` in `path` ("" for `import module`)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""


def test_listings_and_hits_never_import_queries():
    for name in ("listings.py", "hits.py"):
        assert "bot.catalog.queries" not in {module for module, _ in imports(CATALOG / name)}, name
    assert "bot.catalog.listings" not in {module for module, _ in imports(CATALOG / "hits.py")}


def test_no_private_name_is_imported_from_another_module():
    for path in CATALOG.rglob("*.py"):
        private = [f"{module}.{name}" for module, name in imports(path) if name.startswith("_")]
        assert private == [], path


def test_queries_still_offers_every_lookup():
    from bot.catalog import queries

    assert {"search_services", "find_events", "find_offers", "Page", "EventHit"} <= set(queries.__all__)
    assert all(hasattr(queries, name) for name in queries.__all__)
