"""What a deployment facing the public must not run with: `samizdat check --deploy`."""
