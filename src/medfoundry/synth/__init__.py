"""Seeded synthetic FHIR R4 data with realistic fake PHI, for the demo and the tests."""

from medfoundry.synth.fhir import SynthOptions, SynthSummary, generate_patients, write_bulk_ndjson

__all__ = ["SynthOptions", "SynthSummary", "generate_patients", "write_bulk_ndjson"]
