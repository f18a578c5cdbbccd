"""Bullet clustering: cold-start grouping and one-tap cluster suggestions for Norwegian bullets.

Everything runs offline: the lemmatiser's dictionaries ship with simplemma and the
artefacts learned from the seed documents are committed under ``data/``.
"""

from confapp.clustering.engine import cluster_bullets, label_for, suggest
from confapp.clustering.naming import name_for

__all__ = ["cluster_bullets", "label_for", "name_for", "suggest"]
