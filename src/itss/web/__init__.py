"""The pages: server-rendered HTML for engineers, managers and the skills office.

Like the API, every page parses its request, calls a service and renders: `templates/` holds
the HTML (Jinja2, with htmx for the parts that change in place), `static/` every asset the
pages load (served by the application itself, so the pages work offline).
"""
