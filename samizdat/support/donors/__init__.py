"""Donors and their privacy: finding a donor by a hash of their address, self-service by magic
link, yearly receipts, data requests, the purge, and the audit log of staff looking."""
