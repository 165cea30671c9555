"""Public pages: the interview, results, the knowledge browser."""
