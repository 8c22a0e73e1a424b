"""Uma's own data, fine-tuning, evaluation and model registry."""
