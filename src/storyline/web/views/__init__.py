"""One module per noun; each builds a page model that renders as HTML and as JSON."""
