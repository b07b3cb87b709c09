"""The parts of ``polku serve``: the graph store, tokens, the error contract, HTTP headers,
the JSON API and the pages. :func:`polku.app.create_app` puts them together."""
