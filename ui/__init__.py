"""The Streamlit face of pocmap: pages and widgets only, calling the core packages."""
