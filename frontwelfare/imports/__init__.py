"""The machinery every file import shares: the household list (households.imports) and a fund's
bank statement (donations.imports) use the same pieces instead of two copies.

- `reading`: a file's rows, read with bounds before and while parsing (size, zip directory,
  rows, cells, time), from an Excel workbook or a CSV file, headers matched by `TableSpec`.
- `cells`: one cell as text, a whole number, a date.
- `problems`: problems by row and column, errors and warnings, and a check's result.
- `models.FileImport`: the upload's record (who, which file, status, progress, problems, preview).
- `workflow.Importer`: the steps as services (upload, check in a task, confirm, save all or
  nothing in a task, cancel, expire); each kind of import says how its rows are checked and saved.
- `pages`: the upload bounded as it arrives, the progress bar polled by htmx, the preview's rows
  with their problems, confirm or cancel; the upload page and an import's page as mixins whose
  templates (templates/imports/upload.html, detail.html, preview.html) each import extends.
- `template`: the downloadable template's header row, explanation sheet and bytes.
"""
