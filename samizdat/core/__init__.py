"""The kernel every Samizdat app may use: it imports no other Samizdat app."""
