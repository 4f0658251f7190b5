"""Human handoff: the queue, adviser availability, contact requests and ratings.

The actions call these with a session of bot.db's session factory:
`advisers_available`, `enqueue`, `create_contact_request`, `handoff_happened`, `save_rating`.
"""
from bot.handoff.availability import advisers_available
from bot.handoff.queue import QueueTicket, create_contact_request, enqueue, handoff_happened, save_rating

__all__ = ["QueueTicket", "advisers_available", "create_contact_request", "enqueue", "handoff_happened", "save_rating"]
