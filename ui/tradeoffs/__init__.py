"""The Trade-offs page: each disadvantage in the notes shown by an experiment on the engine."""
