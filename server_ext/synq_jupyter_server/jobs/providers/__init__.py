"""Provider adapters that jobs run through (IBM Runtime, IonQ, estimation)."""
