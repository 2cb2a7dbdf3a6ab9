"""The stages of `pipeline.run`, one module each, in run order."""
