"""Insights: daily figures of what companies ask, what works and where the assistant fails.

The background job (job.py) reads Rasa's tracker events and the handoff tables and adds
them to daily counters (models.py) that hold no personal data; the console's pages
(views.py) read only those counters. Links in answers go through a signed redirect
(links.py) and the widget's thumbs (feedback.py) are counted per answer.
"""
