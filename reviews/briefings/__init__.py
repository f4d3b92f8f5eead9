"""Printed 7-minute briefings: what a review's or a theme's briefing holds
(``selectors``) and how much of it fits on two A4 pages (``layout``)."""
