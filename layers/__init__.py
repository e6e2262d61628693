"""Map layers: one module per layer, each owning its schema, load() and styling."""
