// Placeholder until the Signing module lands; replaced by its real sources.
