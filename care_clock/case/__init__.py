"""A patient's case: the form's answers turn by turn (intake), the timeline, and the full record."""
