"""Exporting: the template, the error workbook, and summaries for the terminal and JSON."""
