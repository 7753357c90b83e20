"""Advocacy briefs (issue 16): Issue, Talking points, Recommendations, drafted from the record."""
