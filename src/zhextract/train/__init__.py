"""Training recipes: `python -m zhextract.train ner` rebuilds the shipped NER model."""
