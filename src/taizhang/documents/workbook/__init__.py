"""The ledger of a unit and period as an .xlsx workbook, one sheet per record type: the sheets laid
out (``build``, pure) and the records read for them (``queries``)."""
