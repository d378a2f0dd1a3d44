"""Project-wide security measures that belong to no one app (issue #6)."""
