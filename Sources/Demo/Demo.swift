// Placeholder until the Demo module lands; replaced by its real sources.
