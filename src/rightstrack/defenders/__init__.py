"""Human rights defenders: cases kept safely (issue 8). See docs/SECURITY.md."""
