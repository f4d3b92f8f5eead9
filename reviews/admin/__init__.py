"""The editorial admin: every content model, with history, split by concern.

Importing the modules registers their admin classes; the trainers' course
packs live with the rest of the course-pack code (``reviews/courses/admin.py``).
"""

import taggit.admin  # noqa: F401  (registered first, so that .tags can replace its Tag admin)
from django.contrib import admin

from ..courses import admin as courses_admin  # noqa: F401
from . import (  # noqa: F401
    agencies,
    editorial,
    guides,
    items,
    national,
    recommendation_links,
    reviews,
    safety,
    sources,
    tags,
    themes,
    usage,
)

# The lists editors work in need the width more than a second menu: the
# breadcrumbs and the home page already lead everywhere.
admin.site.enable_nav_sidebar = False
