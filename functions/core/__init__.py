"""Shared core of the Back Office functions: settings, clock, money, problems, identity, storage, audit."""
