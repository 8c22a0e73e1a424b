"""Uma's LLM tasks: specs (prompt, schema, grounding, fallback), backends, and the runner."""
