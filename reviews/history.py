"""Edit history and fixture loading: ``loaddata`` writes exactly what the fixture says.

django-simple-history writes a history row on ``post_save`` unless the save
is ``raw`` (a fixture being loaded), but its ``m2m_changed`` receiver has no
such check, and ``loaddata`` sets each object's many-to-many fields (themes,
sources, tags, resources, related themes) after its raw save. So loading a
dump wrote one history row per object with many-to-many data, numbered from
the history table's sequence, which ``loaddata`` only moves past the dumped
rows at the end: on PostgreSQL those rows collided with the dumped history
("duplicate key value violates unique constraint
reviews_historicaltheme_pkey"), and on SQLite they were added to it.

simple-history skips any instance with a ``skip_history_when_saving``
attribute, in both receivers; a raw save marks the instance being loaded
with it. Only ``loaddata`` (and other deserialising code) saves raw.

Connected in ``ReviewsConfig.ready()``.
"""

from django.apps import apps
from django.db.models.signals import pre_save


def skip_history_for_raw_saves(sender, instance, raw=False, **kwargs):
    if raw:
        instance.skip_history_when_saving = True


def connect() -> None:
    """Connect the receiver to every model with a history (idempotent)."""
    for model in apps.get_models():
        if hasattr(model._meta, "simple_history_manager_attribute"):
            pre_save.connect(
                skip_history_for_raw_saves, sender=model, dispatch_uid=f"history-skip-raw-{model._meta.label_lower}"
            )
