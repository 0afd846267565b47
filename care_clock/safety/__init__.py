"""The crisis net: text normalised, risk read by patterns, composition and a small model."""
