"""The app's analysis pages (Streamlit runs each file; ``app.py`` routes to them)."""
