"""The Django project: public pages (finder), the JSON API (api), later the workspace."""
