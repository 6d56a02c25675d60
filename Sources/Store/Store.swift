// Placeholder until the Store module lands; replaced by its real sources.
