"""Runs the stages in order; the demo."""
