"""Reports people can send (SPEC §4.9, §10): the current view as an XLSX workbook (one sheet per
figure, the filters on the first), any table as XLSX, and the page as PDF or PNG.

Every number comes from the functions the page calls (`view.py`); `workbook.py` writes cells
(money exact to the cent, text never a formula), `page.py` prints the view with headless
Chromium. No Dash, no Flask: the web routes, the page's Download menu and the CLI all call
these."""
