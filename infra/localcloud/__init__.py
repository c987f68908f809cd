"""The local cloud: the whole back office on one machine, wired from template.yaml, no Docker."""
