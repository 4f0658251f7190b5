"""Whether advisers can take a live chat now: the advice channel is open and someone is online."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.hours import is_open
from bot.catalog.models import ServiceChannel
from bot.config import Settings, load_settings
from bot.handoff.presence import online_adviser_count

logger = logging.getLogger(__name__)


async def advice_channel_open(session: AsyncSession, now: datetime, channel_id: str) -> bool:
    """True when the channel's opening hours (holiday exceptions win) cover `now`; unknown: closed."""
    hours = await session.scalar(select(ServiceChannel.service_hours).where(ServiceChannel.external_id == channel_id))
    if hours is None:
        logger.warning("handoff channel %r is not in the catalogue: advisers count as unavailable", channel_id)
        return False
    return bool(is_open(hours, now))


async def advisers_available(session: AsyncSession, now: datetime, *, settings: Optional[Settings] = None) -> bool:
    """The advice channel (HANDOFF_CHANNEL_ID) is open at `now` and at least one adviser is online."""
    settings = settings or load_settings()
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime")
    if not await advice_channel_open(session, now, settings.handoff_channel_id):
        return False
    return await online_adviser_count(session, now, settings.handoff_online_seconds) > 0
