// Placeholder until the Delivery module lands; replaced by its real sources.
