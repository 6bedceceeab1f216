"""Live API clients (SCB PxWeb v2, Kolada v3). They fetch raw responses; the importers parse them."""
