// Placeholder until the JSONSchema module lands; replaced by its real sources.
