"""Data contracts (pandera), quality rules and ownership checks."""
