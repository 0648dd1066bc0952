"""The REST API: FastAPI routes that parse a request, call a service and render its result."""
