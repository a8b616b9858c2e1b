"""The five layers of the joint map, one module each: schema, style and folium builder."""
