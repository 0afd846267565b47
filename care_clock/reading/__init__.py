"""Reading what a patient writes: dates and their roles, the kind of visit, the plan, the language."""
