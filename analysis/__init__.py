"""Pure analysis functions for the atlas (no Streamlit imports)."""
