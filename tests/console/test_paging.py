"""bot/console/paging.py: the page asked for, kept within the pages there are."""
from bot.console.paging import pages_of


def test_the_page_asked_for_is_kept_within_the_pages():
    assert [pages_of(120, asked, 50).number for asked in ("1", "2", "3", "4", "0", "", "x", "-2", "9" * 20)] == \
        [1, 2, 3, 3, 1, 1, 1, 1, 1]
    assert pages_of(0, "5", 50).count == 1 and pages_of(100, "", 50).count == 2


def test_items_and_links_of_a_page():
    middle = pages_of(120, "2", 50)
    assert list(middle.items(list(range(120)))) == list(range(50, 100))
    assert middle.links(lambda n: f"?page={n}") == {"previous_link": "?page=1", "next_link": "?page=3"}
    assert pages_of(120, "3", 50).links(str) == {"previous_link": "2", "next_link": ""}
