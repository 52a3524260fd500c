"""The ``clinical_update`` label: trial data, starts, enrollment and milestones, safety
reviews, IND/CTA clearances, holds, stopped trials, meeting presentations and
publications, usually in an EX-99 press release.

- ``units``, ``layout``: what is assessed (a release, an exhibit, an 8-K item section)
  and which parts a reader reads first;
- ``terms``, ``events``, ``topics``: the vocabulary, as named terms;
- ``features``, ``model``: the figures a unit gives, and the trained model that
  weighs them (``model.json``);
- ``label``: :func:`clinical_label`, with evidence and near-misses;
- ``details``: drug, phase, indication, trial ids and meeting.
"""

from edgarmon.classifier.domain.clinical.label import clinical_label

__all__ = ["clinical_label"]
