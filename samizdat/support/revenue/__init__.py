"""Revenue reports for the newsroom's revenue team: figures, charts and the admin pages."""
