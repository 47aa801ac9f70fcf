"""Runs the stages in order, as jobs; the table of every stage's job kind (``kinds.py``)."""
