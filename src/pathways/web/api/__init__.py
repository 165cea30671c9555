"""The JSON API (django-ninja): evaluate, next question, the knowledge base."""
