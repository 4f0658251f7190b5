"""The catalogue: services and channels (PTV), events (Linked Events) and recruitment offers (Työmarkkinatori).

What the actions call (each lookup takes an AsyncSession; see bot.db for engines and sessions):

    bot.catalog.queries.search_services(session, text, language, limit=5, offset=0, now=None)
    bot.catalog.queries.find_events(session, language, text_or_topic=None, start=None, end=None, limit=5, offset=0, now=None)
    bot.catalog.queries.find_offers(session, language, text=None, limit=5, offset=0, now=None)
    bot.catalog.dates.parse_date_range(text, language, now)
    bot.catalog.hours.is_open(channel_hours, at)
    bot.catalog.hours.opening_times(channel_hours, day), week_opening_times(channel_hours, when)
    bot.catalog.queries.channel_hours(session, channel_id)  (written out by bot.catalog.hours_text)

Importing this package opens nothing: no engine, no session.
"""
