"""/api/v1/schedules/ and /api/v1/oncall/ (routes registered in api/urls.py)."""
