"""Reading FHIR R4 and clinical notes into patient records."""
