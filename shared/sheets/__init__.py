"""Reading spreadsheets that people upload: cells, streaming rows, uploads and import jobs."""
