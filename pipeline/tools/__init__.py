"""Thin wrappers around external programs and libraries. No policy lives here."""
