"""Tests of :mod:`access`: roles, the users file and sign-in."""
