"""Giving: the appeals and the goal readers see, the donation form and checkout, the ways to
pay, and the ledger that records what the payment providers say."""
