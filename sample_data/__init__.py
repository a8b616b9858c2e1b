"""Synthetic sample data for the fictional country Carana, made by :mod:`sample_data.generate`."""
