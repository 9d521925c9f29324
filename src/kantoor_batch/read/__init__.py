"""Reading: a workbook file becomes raw frames per sheet with Excel row numbers."""
