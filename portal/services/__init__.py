"""Services: one module per capability. They own the database work and every state change."""
