"""Web plumbing: security headers, compression, templating, responses, limits, locale."""
