"""The Textual app. Widgets stay thin: NetBox work runs in workers on the app, results come back as
messages."""
