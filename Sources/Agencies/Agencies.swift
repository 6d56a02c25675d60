// Placeholder until the Agencies module lands; replaced by its real sources.
