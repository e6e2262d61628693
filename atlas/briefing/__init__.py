"""Briefing sheets for officials: model (what is drawn), base map, drawing, labels, style, rendering."""
