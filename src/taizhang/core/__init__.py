"""Shared pieces: the base model every table uses, period arithmetic, layout templates."""
