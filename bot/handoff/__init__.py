"""Human handoff: the queue, adviser availability, contact requests and ratings.

The actions call these in their unit of work (actions/database.py; these functions never commit):
`advisers_available`, `enqueue`, `create_contact_request`, `handoff_happened`, `save_rating`.
"""
from bot.handoff.availability import advisers_available
from bot.handoff.queue import QueueTicket, create_contact_request, enqueue, handoff_happened, save_rating

__all__ = ["QueueTicket", "advisers_available", "create_contact_request", "enqueue", "handoff_happened", "save_rating"]
