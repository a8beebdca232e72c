"""NetBox access: the async client, its cache and endpoint knowledge. No Textual here."""
