"""Connectivity reporting: the headline figures the README, the page and the tests share."""
