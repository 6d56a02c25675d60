// Placeholder until the Audit module lands; replaced by its real sources.
