"""Evidence packs: a regulator-ready zip of how a model was made, with hashes that prove it."""

from medfoundry.evidence.pack import EvidenceResult, build_evidence_pack
from medfoundry.evidence.verify import VerifyReport, verify_evidence_pack

__all__ = ["EvidenceResult", "VerifyReport", "build_evidence_pack", "verify_evidence_pack"]
