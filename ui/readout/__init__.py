"""The shared explainer "How the output is read out": many to one, many to many, encoder–decoder."""
