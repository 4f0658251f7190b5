"""The studio's front page: editors and up see it in the navigation, advisers neither see nor open it."""
from __future__ import annotations

from tests.console.support import make_adviser


async def test_editors_find_the_studio_and_advisers_do_not(app, clients, factory):
    await make_adviser(factory, "eeva", role="editor")
    await make_adviser(factory, "anna", role="adviser")
    editor, adviser = clients(), clients()
    await editor.login("eeva")
    await adviser.login("anna")
    _, queue = await editor.get("/console/")
    assert 'href="/console/studio"' in queue
    response, page = await editor.get("/console/studio")
    assert response.status == 200 and "<h1>Content and training</h1>" in page
    _, queue = await adviser.get("/console/")
    assert 'href="/console/studio"' not in queue
    response, _ = await adviser.get("/console/studio")
    assert response.status == 403
