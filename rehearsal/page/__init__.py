"""The rehearsal as a page: `rehearse --out DIR` writes DIR/index.html, one self-contained file
that shows the simulated day the way people would see it in Slack (collect -> model -> render)."""
