"""The document model every builder produces (``model``) and how it becomes a file: the GB/T 9704
page in .docx (``gbt9704``), PDF through LibreOffice (``pdf``, with ``fonts/``), the script it is
written in (``scripts``) and the formats the command line, the pages and the batches share
(``formats``)."""
