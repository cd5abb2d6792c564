"""Pure builders behind dashboard.py: filters, figures, decks, exports, provenance.

Nothing here imports Streamlit, so every builder is tested without a browser.
"""
