"""The API's published description: one OpenAPI document for all routes, and a Swagger UI."""
