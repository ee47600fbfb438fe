"""A labelled evaluation set for term links (see evaluate.py)."""
