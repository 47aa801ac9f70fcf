"""Which resource types and fields belong to FHIR R4, and which betray another version.

Used by the structural check to name the version of content that is not R4
(R5-only or DSTU2/STU3 content) instead of reporting a generic error.
"""

from __future__ import annotations

from typing import Any

R4_TYPES = frozenset(
    """
    Account ActivityDefinition AdverseEvent AllergyIntolerance Appointment AppointmentResponse
    AuditEvent Basic Binary BiologicallyDerivedProduct BodyStructure Bundle CapabilityStatement
    CarePlan CareTeam CatalogEntry ChargeItem ChargeItemDefinition Claim ClaimResponse
    ClinicalImpression CodeSystem Communication CommunicationRequest CompartmentDefinition
    Composition ConceptMap Condition Consent Contract Coverage CoverageEligibilityRequest
    CoverageEligibilityResponse DetectedIssue Device DeviceDefinition DeviceMetric DeviceRequest
    DeviceUseStatement DiagnosticReport DocumentManifest DocumentReference EffectEvidenceSynthesis
    Encounter Endpoint EnrollmentRequest EnrollmentResponse EpisodeOfCare EventDefinition Evidence
    EvidenceVariable ExampleScenario ExplanationOfBenefit FamilyMemberHistory Flag Goal
    GraphDefinition Group GuidanceResponse HealthcareService ImagingStudy Immunization
    ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide InsurancePlan Invoice
    Library Linkage List Location Measure MeasureReport Media Medication MedicationAdministration
    MedicationDispense MedicationKnowledge MedicationRequest MedicationStatement MedicinalProduct
    MedicinalProductAuthorization MedicinalProductContraindication MedicinalProductIndication
    MedicinalProductIngredient MedicinalProductInteraction MedicinalProductManufactured
    MedicinalProductPackaged MedicinalProductPharmaceutical MedicinalProductUndesirableEffect
    MessageDefinition MessageHeader MolecularSequence NamingSystem NutritionOrder Observation
    ObservationDefinition OperationDefinition OperationOutcome Organization OrganizationAffiliation
    Parameters Patient PaymentNotice PaymentReconciliation Person PlanDefinition Practitioner
    PractitionerRole Procedure Provenance Questionnaire QuestionnaireResponse RelatedPerson
    RequestGroup ResearchDefinition ResearchElementDefinition ResearchStudy ResearchSubject
    RiskAssessment RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot Specimen
    SpecimenDefinition StructureDefinition StructureMap Subscription Substance
    SubstanceNucleicAcid SubstancePolymer SubstanceProtein SubstanceReferenceInformation
    SubstanceSourceMaterial SubstanceSpecification SupplyDelivery SupplyRequest Task
    TerminologyCapabilities TestReport TestScript ValueSet VerificationResult VisionPrescription
    """.split()
)

R5_ONLY_TYPES = frozenset(
    """
    ActorDefinition AdministrableProductDefinition ArtifactAssessment
    BiologicallyDerivedProductDispense Citation ClinicalUseDefinition ConditionDefinition
    DeviceAssociation DeviceDispense DeviceUsage EncounterHistory EvidenceReport FormularyItem
    GenomicStudy ImagingSelection Ingredient InventoryItem InventoryReport
    ManufacturedItemDefinition MedicinalProductDefinition NutritionIntake NutritionProduct
    PackagedProductDefinition Permission RegulatedAuthorization Requirements SubscriptionStatus
    SubscriptionTopic TestPlan Transport
    """.split()
)

DSTU2_STU3_TYPES = frozenset(
    """
    BodySite Conformance DataElement DeviceComponent DeviceUseRequest DiagnosticOrder
    EligibilityRequest EligibilityResponse ImagingManifest ImagingObjectSelection MedicationOrder
    Order OrderResponse ProcedureRequest ProcessRequest ProcessResponse ReferralRequest Sequence
    ServiceDefinition
    """.split()
)


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


# (resource type, field, test on its value, version it betrays)
FIELD_MARKERS: tuple[tuple[str, str, Any, str], ...] = (
    ("Condition", "patient", None, "DSTU2"),
    ("Encounter", "patient", None, "DSTU2"),
    ("MedicationStatement", "patient", None, "DSTU2"),
    ("AllergyIntolerance", "substance", None, "DSTU2"),
    ("Condition", "clinicalStatus", lambda v: isinstance(v, str), "DSTU2/STU3"),
    ("Condition", "verificationStatus", lambda v: isinstance(v, str), "DSTU2/STU3"),
    ("Encounter", "class", _is_list, "R5"),
    ("Encounter", "actualPeriod", None, "R5"),
    ("MedicationRequest", "medication", None, "R5"),
    ("MedicationStatement", "medication", None, "R5"),
    ("Procedure", "occurrenceDateTime", None, "R5"),
    ("DocumentReference", "context", _is_list, "R5"),
    ("AllergyIntolerance", "type", lambda v: isinstance(v, dict), "R5"),
)


def other_version(resource: dict[str, Any]) -> tuple[str, str] | None:
    """(version, JSON field) when the resource is recognisably not R4, else None."""
    rtype = resource.get("resourceType")
    if rtype in R5_ONLY_TYPES:
        return "R5", "resourceType"
    if rtype in DSTU2_STU3_TYPES:
        return "DSTU2/STU3", "resourceType"
    for marker_type, name, test, version in FIELD_MARKERS:
        if rtype == marker_type and name in resource and (test is None or test(resource[name])):
            return version, name
    return None
