"""Spreadsheet layouts of the migration and their writers and readers (openpyxl, no Flask, no database).

- ``layout``: a sheet layout is one declared list of columns, driving both writer and reader;
- ``writing``: the general rules for every .xlsx the portal writes (deterministic bytes);
- ``reading``: opening an uploaded .xlsx safely (zip checks first) and reading cell values;
- ``bestandsvergelijking``: the B4 and the bimonthly comparison;
- ``terugkoppeling``: reading and checking the gemeente's feedback on the B4;
- ``aanleverrapportage``: the Wednesday report and the weekly report;
- ``verslag``: the verslag sent with the akkoord;
- ``ontbrekende_wmo407``: the report at the end of the migration period;
- ``mutaties``: the old start/stop sheet of the EXCEL channel and its template;
- ``bestandsnamen``: the names of the published files.
"""
