"""How pocmap is configured: every ``POCMAP_*`` environment variable, in one place.

A ground-floor package: it imports nothing of pocmap's and no third-party library, so any
package (and ``pocmap --help``) may read it.
"""
