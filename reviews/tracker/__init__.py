"""The recommendation tracker: what happened to each action after its review.

``dates`` reads a target date from the briefing's words (only when they give
one); ``selectors`` lists actions for the board view with their state (open,
overdue, done); ``csv`` writes that list for a board meeting; ``views`` is
the staff-only board view in the admin. The models are in
``reviews.models.tracking`` (``ActionUpdate``) and on ``Action`` (target date,
closing judgement).
"""
