"""The institutions' workspace: cases, checklists, partners, agreements, reciprocity, logs."""
