"""Evaluation of profiles against the pathways: per person and vectorised."""
