"""Human review: clinicians check generated outputs; their corrections become datasets and gates."""
