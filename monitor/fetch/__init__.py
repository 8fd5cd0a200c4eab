"""Fetching: the HTTP fetcher, the private-address guard, HTTP helpers and
the Wayback Machine client."""
