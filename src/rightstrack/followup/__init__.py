"""Implementation tracking: workspaces, actors, commitments, measures, progress, assessments."""
