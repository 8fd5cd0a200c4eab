"""A policy's history and the questions asked of it: when a clause first appeared (blame), and
whether the date a policy states about itself tells the truth (stated dates)."""
