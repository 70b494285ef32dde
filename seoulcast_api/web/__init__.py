"""The built React page, served by the API at ``/``."""
