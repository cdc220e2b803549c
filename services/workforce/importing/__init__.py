"""Import of the department's spreadsheets and export of the same lists."""
