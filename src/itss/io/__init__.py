"""Reading and writing files: evidence, policies, spreadsheets."""
