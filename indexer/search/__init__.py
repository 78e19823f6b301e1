"""Search: Persian analysis, the Whoosh index behind SearchIndex, the query language, ranking, snippets."""
