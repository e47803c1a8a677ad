"""One module per page of the site; each returns the page's main content as HTML."""
