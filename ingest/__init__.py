"""Field offices' files into the store: read, map columns, check every row, commit a batch.

``read`` (``ingest.readers``) turns an upload's bytes into a :class:`RawTable`;
``ingest.profiles`` maps its columns to a layer's schema; ``ingest.checks`` judges
every row and writes the report; :mod:`ingest.pipeline` ties them to the store.
"""
