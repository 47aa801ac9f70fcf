"""Metadata database, migrations, the content-addressed artifact store and encryption."""
