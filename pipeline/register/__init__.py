"""The mail register (catalogue, journal, numbering)."""

from pipeline.register.store import JobClaim, Register

__all__ = ["JobClaim", "Register"]
