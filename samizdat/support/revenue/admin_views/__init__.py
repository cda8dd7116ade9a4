"""The revenue team's pages in the Wagtail admin, one module per audience.

Views stay thin: the arithmetic lives in reports.py and goals.py, the chart geometry in
admin_charts.py. Donor data is for the revenue team only, so every report asks for the
`support.view_donation` permission (the "Revenue team" group has it, Reporters and Editors don't).
"""
