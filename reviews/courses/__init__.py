"""Trainers' course packs: reading a pack for its page and exports (``selectors``),
and building packs in the admin (``admin``, registered by ``reviews/admin``)."""
