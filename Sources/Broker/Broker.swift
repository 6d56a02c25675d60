// Placeholder until the Broker module lands; replaced by its real sources.
