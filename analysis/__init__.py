"""Pure analysis functions over the layers. Nothing here imports streamlit."""
