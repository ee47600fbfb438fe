"""`qmsdocs pdf`: the manual as one PDF, an auditor's copy.

The site is built by MkDocs into a temporary folder (`site`); the built pages' articles are
put together into one HTML document, with a cover, the contents and the document register,
every link led inside it (`assemble`, `article`, `links`, `front`, `facts`, `svgstyle`);
WeasyPrint, the optional `pdf` extra, renders it (`render`); `command` is the click command.
Only `render` imports WeasyPrint.
"""
