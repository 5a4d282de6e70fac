"""Repositories: queries and conditional updates. They flush when they must, never commit."""
