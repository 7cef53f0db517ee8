"""ipywidgets for live SynQ work in notebooks."""
