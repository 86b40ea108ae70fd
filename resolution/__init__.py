"""Entity resolution: normalise source records, match them, cluster them to customers."""
