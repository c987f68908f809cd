"""Deployment support and the local cloud, both driven by template.yaml."""
