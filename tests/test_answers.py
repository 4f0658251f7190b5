from datetime import datetime, timezone

from bot.catalog.answers import criteria, event_line, searched, offer_line, service_line
from bot.catalog.queries import EventHit, OfferHit, ServiceHit
from bot.formatting import format_event_time


def service(open_now):
    return ServiceHit(1, "x", "Yritysneuvonta", "Maksutonta neuvontaa.", "https://example.fi/neuvonta",
                      "Business Espoo", open_now, None, "fi", False)


def test_service_line_says_if_open_now():
    assert "(avoinna nyt)" in service_line(service(True), "fi")
    assert "(stängt nu)" in service_line(service(False), "sv")
    line = service_line(service(None), "en")
    assert "open" not in line and "closed" not in line
    assert line.splitlines()[0] == "• Yritysneuvonta (in Finnish) – Business Espoo"  # a Finnish name in English
    assert service_line(service(None), "fi").splitlines()[0] == "• Yritysneuvonta – Business Espoo"


def test_event_time_in_finnish_time_and_each_language():
    start = datetime(2027, 6, 15, 11, 0, tzinfo=timezone.utc)   # 14.00 in Helsinki (summer time)
    end = datetime(2027, 6, 15, 13, 0, tzinfo=timezone.utc)
    assert format_event_time(start, end, "fi") == "ti 15.6. klo 14.00–16.00"
    assert format_event_time(start, end, "sv") == "tis 15.6. kl. 14.00–16.00"
    assert format_event_time(start, end, "en") == "Tue 15 Jun 14:00–16:00"
    later = datetime(2027, 6, 16, 13, 0, tzinfo=timezone.utc)
    assert format_event_time(start, later, "fi") == "ti 15.6. klo 14.00 – ke 16.6. klo 16.00"


def test_event_line():
    hit = EventHit(1, "x", "Rahoitusaamu", "", datetime(2027, 1, 12, 7, tzinfo=timezone.utc), None,
                   "Otaniemi", "https://example.fi/e", True, None, (), "fi", False)
    assert event_line(hit, "fi") == "• ti 12.1. klo 9.00: Rahoitusaamu – Otaniemi – maksuton\n  https://example.fi/e"


def test_offer_line():
    hit = OfferHit(1, "x", "Ohjelmistokehittäjä", "", "Esimerkki Oy", "Espoo", "https://example.fi/j",
                   datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, 20, tzinfo=timezone.utc), "fi", False)
    assert offer_line(hit, "en") == ("• Ohjelmistokehittäjä (in Finnish) – Esimerkki Oy, Espoo\n"
                                     "  Apply by 31 Dec 2026.\n  https://example.fi/j")


def test_criteria():
    assert criteria("", "fi") == "" and criteria("/find_events", "en") == ""
    assert criteria("ravintola-ala, Espoo, joulukuu", "fi") == " (haettu: ravintola-ala, Espoo, joulukuu)"
    assert criteria("restaurangbranschen, Esbo", "sv") == " (sökt: restaurangbranschen, Esbo)"
    assert searched("Software developer, Otaniemi", "en") == "Searched for: Software developer, Otaniemi"
    assert searched("", "fi") == ""
    assert len(criteria("x" * 500, "en")) < 80
