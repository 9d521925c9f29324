"""Cleaning: raw cells become typed, normalised values (text, dates, Ja/Nee, labels)."""
