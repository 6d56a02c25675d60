// Placeholder until the Contracts module lands; replaced by its real sources.
